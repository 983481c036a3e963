//! The settings each Prefect release line reads, dumped from the real
//! packages on PyPI by `tests/external/prefect_settings.py` into
//! `stdlib/prefect/<line>.tsv` and embedded here. `.ci/run` dumps the Prefect
//! the e2e installs again and fails when it differs from its file.
//!
//! A file is dumped from the newest patch release of its line; its `since`
//! column names the first patch release of the line that has a row, so a
//! site pinned to an older patch sees only what that patch reads.

use std::sync::OnceLock;

use super::version::{Line, Version};

/// The embedded files: (line, text), oldest line first.
const FILES: &[(&str, &str)] = &[
    ("2.20", include_str!("../../../stdlib/prefect/2.20.tsv")),
    ("3.0", include_str!("../../../stdlib/prefect/3.0.tsv")),
    ("3.1", include_str!("../../../stdlib/prefect/3.1.tsv")),
    ("3.2", include_str!("../../../stdlib/prefect/3.2.tsv")),
    ("3.3", include_str!("../../../stdlib/prefect/3.3.tsv")),
    ("3.4", include_str!("../../../stdlib/prefect/3.4.tsv")),
    ("3.5", include_str!("../../../stdlib/prefect/3.5.tsv")),
    ("3.6", include_str!("../../../stdlib/prefect/3.6.tsv")),
    ("3.7", include_str!("../../../stdlib/prefect/3.7.tsv")),
    ("3.8", include_str!("../../../stdlib/prefect/3.8.tsv")),
    ("3.9", include_str!("../../../stdlib/prefect/3.9.tsv")),
];

/// The integration packages' settings (`prefect-kubernetes`, `prefect-redis`, …).
const INTEGRATIONS: &str = include_str!("../../../stdlib/prefect/integrations.tsv");

/// What a name is to Prefect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A setting's own name.
    Setting,
    /// Another name Prefect accepts for a setting (`replacement`).
    Alias,
    /// Still read, but Prefect says it is deprecated (use `replacement`).
    Deprecated,
    /// A `PREFECT_LOGGING_…` override of a key of Prefect's `logging.yml`.
    Logging,
}

/// One name of a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: &'static str,
    pub status: Status,
    /// The setting's own name, for an alias or a deprecated name.
    pub replacement: Option<&'static str>,
    /// The first patch release of the line that reads the name.
    pub since: Version,
    /// The last patch release that reads it, when a later one stopped.
    pub until: Option<Version>,
}

impl Row {
    fn read_by(&self, at: Version) -> bool {
        self.since <= at && self.until.is_none_or(|u| at <= u)
    }
}

/// The settings of one release line, or of the integration packages.
#[derive(Debug)]
pub struct Catalogue {
    pub line: Option<Line>,
    /// The release the file was dumped from (the line's newest when made).
    pub dumped_from: Option<Version>,
    /// Every row, by name (the files' order, which is sorted; several rows
    /// of one name, when its status changed inside the line — a setting
    /// that became an alias — each for its own releases, keep theirs).
    rows: Vec<Row>,
}

impl Catalogue {
    /// The catalogue of the line `at` belongs to; a version outside every
    /// line gets the nearest one (check warns about such a pin).
    pub fn of(at: Version) -> &'static Catalogue {
        let i = FILES
            .iter()
            .rposition(|(line, _)| Line::parse(line).is_some_and(|l| l <= at.line()))
            .unwrap_or(0);
        file(i)
    }

    /// The release lines prefectc has the settings of, oldest first.
    pub fn lines() -> impl Iterator<Item = Line> {
        FILES.iter().filter_map(|(line, _)| Line::parse(line))
    }

    /// The newest release prefectc has the settings of in `major` (and
    /// `minor`, when given): what a floating image tag such as `2-latest`
    /// or `3.3-python3.12` runs, as far as prefectc can know.
    pub fn newest(major: u32, minor: Option<u32>) -> Option<Version> {
        (0..FILES.len())
            .rev()
            .map(file)
            .filter(|c| {
                c.line
                    .is_some_and(|l| l.major == major && minor.is_none_or(|m| l.minor == m))
            })
            .find_map(|c| c.dumped_from)
    }

    /// Whether the catalogue has a file for the line of `at`.
    pub fn knows(at: Version) -> bool {
        Catalogue::lines().any(|l| l == at.line())
    }

    /// The integration packages' settings.
    pub fn integrations() -> &'static Catalogue {
        static CELL: OnceLock<Catalogue> = OnceLock::new();
        CELL.get_or_init(|| parse(None, INTEGRATIONS))
    }

    /// The release of this catalogue's line that stands for `at`: `at`
    /// itself in the line; for a release of a line prefectc has no file of
    /// (which [`Catalogue::of`] answers with the nearest line, and check
    /// warns about, W0515), the line's first release when `at` is older and
    /// the release the file was dumped from when newer. Without this, a pin
    /// older than every line would read no setting at all.
    fn stand_in(&self, at: Version) -> Version {
        match self.line {
            Some(line) if at.line() < line => line.first(),
            Some(line) if at.line() > line => self.dumped_from.unwrap_or(at),
            _ => at,
        }
    }

    /// The rows of `name`.
    fn rows_of(&self, name: &str) -> &[Row] {
        let start = self.rows.partition_point(|r| r.name < name);
        let len = self.rows[start..].partition_point(|r| r.name == name);
        &self.rows[start..start + len]
    }

    /// The name's row, when the release `at` reads it.
    pub fn lookup(&self, name: &str, at: Version) -> Option<&Row> {
        let at = self.stand_in(at);
        self.rows_of(name)
            .iter()
            .find(|r| self.line.is_none() || r.read_by(at))
    }

    /// Every name the release `at` reads.
    pub fn names(&self, at: Version) -> impl Iterator<Item = &'static str> + '_ {
        let at = self.stand_in(at);
        self.rows
            .chunk_by(|a, b| a.name == b.name)
            .filter(move |rows| rows.iter().any(|r| self.line.is_none() || r.read_by(at)))
            .filter_map(|rows| rows.first().map(|r| r.name))
    }

    /// The last release before `at` that reads `name`: the newest of its
    /// rows' last releases (a row read to the end of its line reads until
    /// the release the file was dumped from), in the newest line older
    /// than `at`'s that has it.
    pub fn last_release_reading(name: &str, at: Version) -> Option<Version> {
        (0..FILES.len())
            .rev()
            .filter(|&i| Line::parse(FILES[i].0).is_some_and(|l| l <= at.line()))
            .filter_map(|i| rows_named(i, name))
            .find_map(|c| {
                c.rows
                    .iter()
                    .filter_map(|r| r.until.or(c.dumped_from))
                    .filter(|last| *last < at)
                    .max()
            })
    }

    /// The first release, of this line or a later one, that reads `name`.
    pub fn first_release_reading(name: &str) -> Option<Version> {
        (0..FILES.len())
            .filter_map(|i| rows_named(i, name))
            .find_map(|c| c.rows.iter().map(|r| r.since).min())
    }
}

/// The catalogue of `FILES[i]`, read the first time it is asked for: a
/// build reads the file of the line it pins, not all of them.
fn file(i: usize) -> &'static Catalogue {
    static CELLS: [OnceLock<Catalogue>; FILES.len()] = [const { OnceLock::new() }; FILES.len()];
    CELLS[i].get_or_init(|| {
        let (line, text) = FILES[i];
        parse(Line::parse(line), text)
    })
}

/// The rows of `name` in `FILES[i]`, if it has any: the file parsed as far
/// as its header and those rows (what a diagnostic asks of other lines than
/// the pinned one: parsing each whole file was 8 % of the production
/// example's instructions).
fn rows_named(i: usize, name: &str) -> Option<Catalogue> {
    let (line, text) = FILES[i];
    let row = format!("\n{name}\t");
    if !text.contains(&row) && !text.starts_with(&row[1..]) {
        return None;
    }
    let c = parse_rows(Line::parse(line), text, |l| l.starts_with(&row[1..]));
    (!c.rows.is_empty()).then_some(c)
}

/// Reads a catalogue file. The files are generated and tested, so a line
/// that does not parse is a bug in the generator: the unit tests below read
/// every file and fail on one.
fn parse(line: Option<Line>, text: &'static str) -> Catalogue {
    parse_rows(line, text, |_| true)
}

/// Reads the header of a catalogue file and the rows `keep` keeps.
fn parse_rows(line: Option<Line>, text: &'static str, keep: impl Fn(&str) -> bool) -> Catalogue {
    // Where each column is, from the header (`# name\tstatus\t…`).
    let mut at = Columns::default();
    let mut dumped_from = None;
    let mut rows = Vec::new();
    for l in text.lines() {
        if let Some(comment) = l.strip_prefix('#') {
            let comment = comment.trim();
            if let Some(header) = comment.strip_prefix("name\t") {
                at = Columns::of(std::iter::once("name").chain(header.split('\t')));
            } else if let Some(rest) = comment.strip_prefix("Prefect ") {
                dumped_from = rest.split_whitespace().next().and_then(Version::parse);
            }
            continue;
        }
        if !keep(l) {
            continue;
        }
        let mut cells = [""; Columns::MAX];
        for (slot, c) in cells.iter_mut().zip(l.split('\t')) {
            *slot = c;
        }
        let cell = |i: Option<usize>| -> Option<&'static str> {
            Some(cells[i?]).filter(|c| *c != "-" && !c.is_empty())
        };
        let Some(name) = cell(at.name) else { continue };
        let status = match cell(at.status) {
            Some("setting") => Status::Setting,
            Some("alias") => Status::Alias,
            Some("deprecated") => Status::Deprecated,
            Some("logging") => Status::Logging,
            _ => continue,
        };
        let since = cell(at.since)
            .and_then(Version::parse)
            .or(line.map(Line::first))
            .unwrap_or(Version::new(0, 0, 0));
        rows.push(Row {
            name,
            status,
            replacement: cell(at.replacement),
            since,
            until: cell(at.until).and_then(Version::parse),
        });
    }
    // The files are written sorted; a stable sort keeps a name's rows in
    // their order if one is not.
    if !rows.is_sorted_by(|a: &Row, b: &Row| a.name <= b.name) {
        rows.sort_by(|a, b| a.name.cmp(b.name));
    }
    Catalogue {
        line,
        dumped_from,
        rows,
    }
}

/// The positions of the columns a catalogue file's header names (a column
/// it does not name reads as empty in every row).
#[derive(Default)]
struct Columns {
    name: Option<usize>,
    status: Option<usize>,
    replacement: Option<usize>,
    since: Option<usize>,
    until: Option<usize>,
}

impl Columns {
    /// Columns past this many are not read.
    const MAX: usize = 16;

    fn of<'h>(header: impl Iterator<Item = &'h str>) -> Columns {
        let mut at = Columns::default();
        for (i, column) in header.enumerate().take(Columns::MAX) {
            let slot = match column {
                "name" => &mut at.name,
                "status" => &mut at.status,
                "replacement" => &mut at.replacement,
                "since" => &mut at.since,
                "until" => &mut at.until,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read whatever the order of its columns and rows: a name's
    /// rows stay together and in their order, a name is found between its
    /// neighbours, and a column the header does not name reads as empty.
    #[test]
    fn rows_are_found_by_name_in_any_order() {
        let text = "# Prefect 3.4.9 settings\n\
                    # name\tsince\tstatus\treplacement\tuntil\n\
                    PREFECT_C\t3.4.2\tsetting\t-\t-\n\
                    PREFECT_A\t-\tsetting\t-\t3.4.3\n\
                    PREFECT_A\t3.4.4\talias\tPREFECT_C\t-\n\
                    PREFECT_B\t-\tdeprecated\tPREFECT_C\t-\n\
                    \n\
                    PREFECT_D\t-\tunknown\t-\t-\n";
        let c = parse(Line::parse("3.4"), text);
        assert_eq!(c.dumped_from, Version::parse("3.4.9"));
        let at = |p| Version::new(3, 4, p);
        let status = |name, p| c.lookup(name, at(p)).map(|r| r.status);
        assert_eq!(status("PREFECT_A", 1), Some(Status::Setting));
        assert_eq!(status("PREFECT_A", 5), Some(Status::Alias));
        assert_eq!(
            c.lookup("PREFECT_A", at(5)).unwrap().replacement,
            Some("PREFECT_C")
        );
        assert_eq!(status("PREFECT_B", 0), Some(Status::Deprecated));
        assert_eq!(status("PREFECT_C", 1), None);
        assert_eq!(status("PREFECT_C", 2), Some(Status::Setting));
        assert_eq!(status("PREFECT_D", 2), None);
        assert_eq!(status("PREFECT_", 2), None);
        assert_eq!(status("PREFECT_BB", 2), None);
        let names: Vec<_> = c.names(at(5)).collect();
        assert_eq!(names, ["PREFECT_A", "PREFECT_B", "PREFECT_C"]);
        let names: Vec<_> = c.names(at(1)).collect();
        assert_eq!(names, ["PREFECT_A", "PREFECT_B"]);
        let no_until = parse(None, "# name\tstatus\nPREFECT_X\tsetting\n");
        assert_eq!(
            no_until.lookup("PREFECT_X", at(0)).map(|r| r.until),
            Some(None)
        );
    }

    /// A name's rows read alone (for another line's first or last release)
    /// are the rows the whole file has, for every name of every file.
    #[test]
    fn a_names_rows_read_alone_are_those_of_the_whole_file() {
        for i in 0..FILES.len() {
            let whole = file(i);
            for rows in whole.rows.chunk_by(|a, b| a.name == b.name) {
                let name = rows[0].name;
                let alone = rows_named(i, name).expect("the name has rows");
                assert_eq!(alone.rows, rows, "{name}");
                assert_eq!(
                    (alone.line, alone.dumped_from),
                    (whole.line, whole.dumped_from)
                );
            }
            assert!(rows_named(i, "PREFECT_NO_SUCH_SETTING").is_none());
            // A prefix of names is no name.
            assert!(rows_named(i, "PREFECT_SERVER").is_none());
        }
    }

    /// Every embedded file parses to rows, names its version, and every
    /// `.tsv` in stdlib/prefect is embedded (a new line's file cannot be
    /// forgotten in FILES).
    #[test]
    fn every_file_is_embedded_and_read() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("stdlib/prefect");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("stdlib/prefect")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".tsv").map(str::to_string))
            .filter(|n| n != "integrations")
            .collect();
        on_disk.sort_by_key(|n| Line::parse(n));
        let embedded: Vec<String> = FILES.iter().map(|(l, _)| l.to_string()).collect();
        assert_eq!(on_disk, embedded);
        for (i, (name, text)) in FILES.iter().enumerate() {
            let c = file(i);
            let data_lines = text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .count();
            let rows = c.rows.len();
            assert_eq!(rows, data_lines, "{name}: a row did not parse");
            assert!(rows > 100, "{name}: {rows} rows");
            let from = c.dumped_from.expect("the file names its version");
            assert_eq!(from.line(), c.line.unwrap(), "{name}");
        }
        assert!(!Catalogue::integrations().rows.is_empty());
    }

    #[test]
    fn prefect_2_and_3_name_the_database_differently() {
        let v2 = Version::new(2, 20, 14);
        let v3 = Version::new(3, 4, 25);
        let name3 = "PREFECT_SERVER_DATABASE_CONNECTION_URL";
        let name2 = "PREFECT_API_DATABASE_CONNECTION_URL";
        assert!(Catalogue::of(v2).lookup(name3, v2).is_none());
        assert_eq!(
            Catalogue::of(v2).lookup(name2, v2).map(|r| r.status),
            Some(Status::Setting)
        );
        assert_eq!(
            Catalogue::of(v3).lookup(name3, v3).map(|r| r.status),
            Some(Status::Setting)
        );
        assert!(Catalogue::of(v3).lookup(name2, v3).is_some());
    }

    #[test]
    fn a_pin_outside_every_line_gets_the_nearest() {
        let newest = Catalogue::lines().last().unwrap();
        let future = Version::new(newest.major, newest.minor + 5, 0);
        assert_eq!(Catalogue::of(future).line, Some(newest));
        assert!(!Catalogue::knows(future));
        let old = Version::new(2, 10, 0);
        assert_eq!(Catalogue::of(old).line, Catalogue::lines().next());
    }
}

#[cfg(test)]
mod stand_in_tests {
    use super::*;

    /// What a floating tag runs: the newest release dumped of its major or
    /// line; nothing for one prefectc has no file of.
    #[test]
    fn the_newest_release_of_a_major_or_a_line() {
        let newest_2 = Catalogue::newest(2, None).expect("a Prefect 2 line");
        assert_eq!(newest_2.major, 2);
        assert_eq!(Some(newest_2), Catalogue::of(newest_2).dumped_from);
        let three_three = Catalogue::newest(3, Some(3)).expect("the 3.3 line");
        assert_eq!(three_three.line(), Line::parse("3.3").unwrap());
        let newest_3 = Catalogue::newest(3, None).expect("a Prefect 3 line");
        assert!(newest_3 > three_three);
        assert_eq!(Catalogue::lines().last(), Some(newest_3.line()));
        assert_eq!(Catalogue::newest(1, None), None);
        assert_eq!(Catalogue::newest(3, Some(99)), None);
    }

    /// A pin outside every line is read as the nearest line's edge: older
    /// pins as the first release of the oldest line, newer ones as the
    /// newest release dumped.
    #[test]
    fn pins_outside_the_lines_read_the_nearest_lines_settings() {
        let older = Version::new(2, 19, 9);
        let first = Line::parse("2.20").unwrap().first();
        let oldest = Catalogue::of(older);
        assert_eq!(oldest.line, Some(first.line()));
        assert!(oldest.lookup("PREFECT_API_URL", older).is_some());
        assert_eq!(
            oldest.names(older).count(),
            oldest.names(first).count(),
            "a 2.19 pin reads what 2.20.0 reads"
        );
        let newer = Version::new(3, 10, 2);
        let newest = Catalogue::of(newer);
        let dumped = newest.dumped_from.unwrap();
        assert_eq!(newest.names(newer).count(), newest.names(dumped).count());
        // Inside a line, the release itself decides (3.4.0 lacks what 3.4.16 added).
        let c = Catalogue::of(Version::new(3, 4, 0));
        assert_eq!(c.stand_in(Version::new(3, 4, 0)), Version::new(3, 4, 0));
        assert_eq!(c.stand_in(Version::new(3, 3, 7)), Version::new(3, 4, 0));
        assert_eq!(c.stand_in(Version::new(3, 5, 0)), c.dumped_from.unwrap());
    }
}
