//! The settings each Prefect release line reads, dumped from the real
//! packages on PyPI by `tests/external/prefect_settings.py` into
//! `stdlib/prefect/<line>.tsv`. `.ci/run` dumps the Prefect the e2e installs
//! again and fails when it differs from its file.
//!
//! A file is dumped from the newest patch release of its line; its `since`
//! column names the first patch release of the line that has a row, so a
//! site pinned to an older patch sees only what that patch reads.
//!
//! `build.rs` reads the files (with [`super::tsv`]) and writes their rows
//! out as Rust tables, included here: a build reads no file and parses
//! nothing to know a setting (parsing the pinned line's file was 6 % of
//! the production example's instructions).

pub use super::tsv::{Row, Status};
use super::version::{Line, Version};

// `CATALOGUES`, one per release line, oldest first, and `INTEGRATIONS`.
include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// A row as compiled: its names are ranges of its catalogue's `text`, so
/// the tables hold no pointers. (With `&str` fields every row was two
/// relocations the loader applies at each start, on pages it then writes:
/// 49 more page faults for every build, even one that reads no setting.)
#[derive(Debug)]
struct Packed {
    name: (u32, u32),
    status: Status,
    replacement: Option<(u32, u32)>,
    since: Version,
    until: Option<Version>,
}

impl Packed {
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
    /// The names its rows are ranges of.
    text: &'static str,
    /// Every row, by name (the files' order, which is sorted; several rows
    /// of one name, when its status changed inside the line — a setting
    /// that became an alias — each for its own releases, keep theirs).
    rows: &'static [Packed],
}

impl Catalogue {
    /// The catalogue of the line `at` belongs to; a version outside every
    /// line gets the nearest one (check warns about such a pin).
    pub fn of(at: Version) -> &'static Catalogue {
        CATALOGUES
            .iter()
            .rev()
            .find(|c| c.line.is_some_and(|l| l <= at.line()))
            .unwrap_or(&CATALOGUES[0])
    }

    /// The release lines prefectc has the settings of, oldest first.
    pub fn lines() -> impl Iterator<Item = Line> {
        CATALOGUES.iter().filter_map(|c| c.line)
    }

    /// The newest release prefectc has the settings of in `major` (and
    /// `minor`, when given): what a floating image tag such as `2-latest`
    /// or `3.3-python3.12` runs, as far as prefectc can know.
    pub fn newest(major: u32, minor: Option<u32>) -> Option<Version> {
        CATALOGUES
            .iter()
            .rev()
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
        &INTEGRATIONS
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

    /// The text of a range of [`Catalogue::text`].
    fn str(&self, (start, end): (u32, u32)) -> &'static str {
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    fn name(&self, row: &Packed) -> &'static str {
        self.str(row.name)
    }

    fn row(&self, row: &Packed) -> Row {
        Row {
            name: self.name(row),
            status: row.status,
            replacement: row.replacement.map(|r| self.str(r)),
            since: row.since,
            until: row.until,
        }
    }

    /// The rows of `name`.
    fn rows_of(&self, name: &str) -> &'static [Packed] {
        let rows = self.rows;
        let start = rows.partition_point(|r| self.name(r) < name);
        let len = rows[start..].partition_point(|r| self.name(r) == name);
        &rows[start..start + len]
    }

    /// The name's row, when the release `at` reads it.
    pub fn lookup(&self, name: &str, at: Version) -> Option<Row> {
        let at = self.stand_in(at);
        self.rows_of(name)
            .iter()
            .find(|r| self.line.is_none() || r.read_by(at))
            .map(|r| self.row(r))
    }

    /// Every name the release `at` reads.
    pub fn names(&self, at: Version) -> impl Iterator<Item = &'static str> + '_ {
        let at = self.stand_in(at);
        self.rows
            .chunk_by(|a, b| self.name(a) == self.name(b))
            .filter(move |rows| rows.iter().any(|r| self.line.is_none() || r.read_by(at)))
            .filter_map(|rows| rows.first().map(|r| self.name(r)))
    }

    /// The last release before `at` that reads `name`: the newest of its
    /// rows' last releases (a row read to the end of its line reads until
    /// the release the file was dumped from), in the newest line older
    /// than `at`'s that has it.
    pub fn last_release_reading(name: &str, at: Version) -> Option<Version> {
        CATALOGUES
            .iter()
            .rev()
            .filter(|c| c.line.is_some_and(|l| l <= at.line()))
            .find_map(|c| {
                c.rows_of(name)
                    .iter()
                    .filter_map(|r| r.until.or(c.dumped_from))
                    .filter(|last| *last < at)
                    .max()
            })
    }

    /// The first release, of this line or a later one, that reads `name`.
    pub fn first_release_reading(name: &str) -> Option<Version> {
        CATALOGUES
            .iter()
            .find_map(|c| c.rows_of(name).iter().map(|r| r.since).min())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tsv;
    use super::*;

    /// A catalogue of `text`, read and packed at run time as build.rs
    /// reads and packs the files.
    fn parse(line: Option<Line>, text: &'static str) -> Catalogue {
        let table = tsv::read(line, text);
        let packed = tsv::pack(&table.rows);
        let rows: Vec<Packed> = table
            .rows
            .iter()
            .zip(packed.ranges)
            .map(|(r, (name, replacement))| Packed {
                name,
                status: r.status,
                replacement,
                since: r.since,
                until: r.until,
            })
            .collect();
        Catalogue {
            line,
            dumped_from: table.dumped_from,
            text: packed.text.leak(),
            rows: rows.leak(),
        }
    }

    /// Every row of a catalogue, as [`Catalogue::lookup`] gives them.
    fn rows(c: &Catalogue) -> Vec<Row> {
        c.rows.iter().map(|r| c.row(r)).collect()
    }

    /// The files in stdlib/prefect, by name without `.tsv`, read from disk.
    fn files_on_disk() -> Vec<(String, &'static str)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("stdlib/prefect");
        let mut files: Vec<(String, &'static str)> = std::fs::read_dir(&dir)
            .expect("stdlib/prefect")
            .filter_map(|e| {
                let path = e.ok()?.path();
                let name = path
                    .file_name()?
                    .to_str()?
                    .strip_suffix(".tsv")?
                    .to_string();
                let text = std::fs::read_to_string(&path).expect("a catalogue file");
                Some((name, &*text.leak()))
            })
            .collect();
        files.sort_by_key(|(n, _)| Line::parse(n));
        files
    }

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

    /// One row at a time, so that a difference names its row.
    fn same_rows(compiled: &[Row], read: &[Row], file: &str) {
        for (c, r) in compiled.iter().zip(read) {
            assert_eq!(c, r, "{file}");
        }
        assert_eq!(compiled.len(), read.len(), "{file}");
    }

    /// The tables build.rs compiled are the files as read at run time,
    /// every row of every file (a row written out wrong, or a file left
    /// out, fails here).
    #[test]
    fn the_compiled_tables_are_the_files() {
        let files = files_on_disk();
        let (integrations, lines): (Vec<_>, Vec<_>) =
            files.iter().partition(|(n, _)| n == "integrations");
        assert_eq!(lines.len(), CATALOGUES.len());
        for ((name, text), compiled) in lines.iter().zip(&CATALOGUES) {
            let line = Line::parse(name);
            let read = tsv::read(line, text);
            assert_eq!(compiled.line, line, "{name}");
            assert_eq!(compiled.dumped_from, read.dumped_from, "{name}");
            same_rows(&rows(compiled), &read.rows, name);
        }
        let [(_, text)] = integrations[..] else {
            panic!("one integrations.tsv");
        };
        let read = tsv::read(None, text);
        assert_eq!(INTEGRATIONS.line, None);
        assert_eq!(INTEGRATIONS.dumped_from, read.dumped_from);
        same_rows(&rows(&INTEGRATIONS), &read.rows, "integrations");
    }

    /// Every line's file reads to rows, one for each line of data, and
    /// names its version; every `.tsv` in stdlib/prefect is a line's or the
    /// integrations'.
    #[test]
    fn every_file_is_read() {
        let lines: Vec<(String, &str)> = files_on_disk()
            .into_iter()
            .filter(|(n, _)| n != "integrations")
            .collect();
        let names: Vec<String> = Catalogue::lines().map(|l| l.to_string()).collect();
        assert_eq!(
            lines.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            names.iter().collect::<Vec<_>>()
        );
        for (name, text) in lines {
            let c = Catalogue::of(Line::parse(&name).expect("a line").first());
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
