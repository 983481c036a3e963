//! Reading a settings catalogue file (`stdlib/prefect/<line>.tsv`): its
//! header, the release it was dumped from, and its rows.
//!
//! `build.rs` reads every file with this module and writes the rows out as
//! the tables the binary holds ([`super::catalogue`]), so a build reads no
//! file at run time; the unit tests there hold those tables to what this
//! module reads from the files. It uses nothing but `std` and
//! [`super::version`], which `build.rs` includes by path beside it.

use super::version::{Line, Version};

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

/// A catalogue file, read.
#[derive(Debug)]
pub struct Table {
    /// The release the file was dumped from (its `# Prefect 3.4.25 …` line).
    pub dumped_from: Option<Version>,
    /// Every row, sorted by name; a name's rows in the file's order.
    pub rows: Vec<Row>,
}

/// Reads the file of `line` (`None` for the integration packages'). The
/// files are generated and tested, so a row that does not read is a bug in
/// the generator: the unit tests read every file and fail on one.
pub fn read(line: Option<Line>, text: &'static str) -> Table {
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
    Table { dumped_from, rows }
}

/// Where each row's name and replacement are in one text, each distinct
/// string written once: the form the binary holds the rows in (a table of
/// `&str` would be a relocation per string at every start).
pub struct Packed {
    pub text: String,
    /// For each row, its name's and its replacement's byte ranges.
    pub ranges: Vec<(TextRange, Option<TextRange>)>,
}

/// A string's start and end in [`Packed::text`].
pub type TextRange = (u32, u32);

/// The rows packed over one text.
pub fn pack(rows: &[Row]) -> Packed {
    let mut text = String::new();
    let mut at: std::collections::HashMap<&str, TextRange> = Default::default();
    let mut range = |s: &'static str| {
        *at.entry(s).or_insert_with(|| {
            let start = text.len();
            text.push_str(s);
            (start as u32, text.len() as u32)
        })
    };
    let ranges = rows
        .iter()
        .map(|r| (range(r.name), r.replacement.map(&mut range)))
        .collect();
    Packed { text, ranges }
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
