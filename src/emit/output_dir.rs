//! The output directory of `build -o`, which prefectc replaces as a whole.
//!
//! Replacing a directory is only safe when everything in it is prefectc's
//! own: each directory prefectc writes holds a manifest, [`MANIFEST`],
//! naming every file it wrote. A directory is replaced only when it is
//! missing, empty, or holds nothing but its manifest and the files the
//! manifest names; anything else (a file prefectc did not write, a
//! subdirectory, a symbolic link, an input of the build) refuses the write
//! before anything is touched.
//!
//! The new files are staged in a fresh directory beside the target
//! (`.prefectc-out-<pid>-<random>`) and swapped with the old one in one
//! rename (`renameat2(RENAME_EXCHANGE)`), so the target is never missing;
//! the old output, now at the staging name, is then removed. Stagings left
//! by a run that was killed are removed by the next run, when they are
//! clearly prefectc's (empty, or holding only what their manifest names) and
//! the process that made them is gone.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The manifest's file name in an output directory.
pub const MANIFEST: &str = ".prefectc";

/// The manifest's first line; a `.prefectc` file without it is not one.
const MANIFEST_HEADER: &str = "# prefectc build -o: the files prefectc wrote here, one a line.";

/// The prefix of a staging directory; after the swap it holds the old output.
const STAGING_PREFIX: &str = ".prefectc-out-";
/// The prefix of the old output in the fallback (two renames) swap.
const OLD_PREFIX: &str = ".prefectc-old-";

/// Why an output directory was not written.
#[derive(Debug)]
pub enum OutputError {
    /// The directory is not prefectc's to replace; nothing was touched.
    Refused {
        dir: PathBuf,
        why: String,
        help: &'static str,
    },
    Io(io::Error),
}

impl From<io::Error> for OutputError {
    fn from(e: io::Error) -> OutputError {
        OutputError::Io(e)
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Refused { dir, why, help } => write!(
                f,
                "refusing to replace `{}`: {why}; nothing was written\n  help: {help}",
                dir.display()
            ),
            OutputError::Io(e) => write!(f, "{e}"),
        }
    }
}

const HELP_FOREIGN: &str = "prefectc replaces the whole output directory: name a new or empty \
                            directory, or one an earlier `prefectc build -o` wrote";

fn refuse(dir: &Path, why: String, help: &'static str) -> OutputError {
    OutputError::Refused {
        dir: dir.to_path_buf(),
        why,
        help,
    }
}

/// The files of an output directory: every name is known before any file
/// is written (the manifest, which names them, is written first), and each
/// text is made only when its file is written or compared, so a large
/// site's output is never held in memory as a whole.
pub struct Files<'a> {
    /// The file names, in the order they are written.
    pub names: Vec<String>,
    /// The text of the file named `names[i]`.
    pub text: &'a dyn Fn(usize) -> String,
}

/// Writes `files` into `dir`, replacing it as a whole.
/// `inputs` are the files the build read: a directory holding one of them is
/// refused. `before_write` is called before each file is written (a fault
/// hook for tests; the build passes one that does nothing).
pub fn write_files(
    files: &Files,
    dir: &Path,
    inputs: &[PathBuf],
    before_write: &mut dyn FnMut(&str) -> io::Result<()>,
) -> Result<(), OutputError> {
    let target = inspect(dir, inputs)?;
    remove_leftovers(&target.parent, &target.name);
    let staging = tempfile::Builder::new()
        .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
        .tempdir_in(&target.parent)?;
    // The manifest first: a staging directory a kill interrupts is
    // recognisably prefectc's.
    write_new(&staging.path().join(MANIFEST), &manifest(&files.names))?;
    for (i, name) in files.names.iter().enumerate() {
        before_write(name)?;
        write_new(&staging.path().join(name), &(files.text)(i))?;
    }
    sync_staged(staging.path(), &files.names)?;
    swap(staging, &target, dir)
}

/// The manifest naming `names`.
fn manifest(names: &[String]) -> String {
    let mut manifest = format!("{MANIFEST_HEADER}\n");
    for name in names {
        manifest.push_str(name);
        manifest.push('\n');
    }
    manifest
}

/// How a directory differs from what [`write_files`] would write there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The directory does not exist (or is not a directory).
    NoDirectory,
    /// A file the build writes is not there.
    Missing(String),
    /// A file the build writes holds other text.
    Changed(String),
    /// An entry the build would not write.
    Extra(String),
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::NoDirectory => write!(f, "missing directory"),
            Difference::Missing(n) => write!(f, "missing: {n}"),
            Difference::Changed(n) => write!(f, "changed: {n}"),
            Difference::Extra(n) => write!(f, "not built: {n}"),
        }
    }
}

/// Compares `dir` with `files` and their manifest, reading only: empty when
/// `dir` holds exactly what a write would put there, byte for byte.
pub fn compare_files(files: &Files, dir: &Path) -> io::Result<Vec<Difference>> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Ok(vec![Difference::NoDirectory]),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(vec![Difference::NoDirectory]),
        Err(e) => return Err(e),
    }
    let mut out = Vec::new();
    for (i, name) in files.names.iter().enumerate() {
        compare_file(dir, name, || (files.text)(i), &mut out)?;
    }
    compare_file(dir, MANIFEST, || manifest(&files.names), &mut out)?;
    // A set: a directory of 80,000 files is not compared name by name.
    let wanted: crate::map::HashSet<&str> = files
        .names
        .iter()
        .map(String::as_str)
        .chain([MANIFEST])
        .collect();
    let mut extra = Vec::new();
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !wanted.contains(name.as_str()) {
            extra.push(Difference::Extra(name));
        }
    }
    extra.sort_by_key(|d| d.to_string());
    out.extend(extra);
    Ok(out)
}

/// Adds to `out` how the file `name` of `dir` differs from `text`, which is
/// made only when there is a file to compare it with.
fn compare_file(
    dir: &Path,
    name: &str,
    text: impl FnOnce() -> String,
    out: &mut Vec<Difference>,
) -> io::Result<()> {
    let path = dir.join(name);
    match fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => {
            if fs::read(&path)? != text().as_bytes() {
                out.push(Difference::Changed(name.to_string()));
            }
        }
        Ok(_) => out.push(Difference::Changed(name.to_string())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            out.push(Difference::Missing(name.to_string()))
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

fn write_new(path: &Path, text: &str) -> io::Result<()> {
    fs::File::create_new(path)?.write_all(text.as_bytes())
}

/// Makes the staged files durable before they are swapped in, so that a
/// crash never leaves an output directory of empty files: on Linux one
/// `syncfs` of the staging directory's file system (for the 80,207 files
/// of 10,000 workers, a `fsync` each took 27 s, one `syncfs` 0.4 s:
/// docs/performance.md), elsewhere a `fsync` of each file.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn sync_staged(staging: &Path, _names: &[String]) -> io::Result<()> {
    Ok(rustix::fs::syncfs(fs::File::open(staging)?)?)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn sync_staged(staging: &Path, names: &[String]) -> io::Result<()> {
    for name in names.iter().map(String::as_str).chain([MANIFEST]) {
        fs::File::open(staging.join(name))?.sync_all()?;
    }
    Ok(())
}

/// Where the output goes: `parent/name`, `parent` a real path.
struct Target {
    parent: PathBuf,
    name: std::ffi::OsString,
    exists: bool,
}

impl Target {
    fn path(&self) -> PathBuf {
        self.parent.join(&self.name)
    }
}

/// Refuses anything but a missing directory or one prefectc may replace.
fn inspect(dir: &Path, inputs: &[PathBuf]) -> Result<Target, OutputError> {
    // Without trailing `/` and `/.`, which would make the lookup follow a
    // link named last: `-o link/` is the link itself.
    let dir: &Path = &dir.components().collect::<PathBuf>();
    let meta = match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return missing(dir),
        Err(e) => return Err(e.into()),
        Ok(m) => m,
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            dir,
            "it is a symbolic link".into(),
            "name the directory itself, not a link to it (prefectc does not replace what a link points to)",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(
            dir,
            format!(
                "it is {}, not a directory",
                crate::source::file_kind(&meta.file_type())
            ),
            "name a new or empty directory, or one an earlier `prefectc build -o` wrote",
        ));
    }
    let real = fs::canonicalize(dir)?;
    let (Some(parent), Some(name)) = (real.parent(), real.file_name()) else {
        return Err(refuse(
            dir,
            "it is the root of the file system".into(),
            HELP_FOREIGN,
        ));
    };
    let held: Vec<String> = inputs
        .iter()
        .filter_map(|i| fs::canonicalize(i).ok())
        .filter(|i| i.starts_with(&real))
        .map(|i| i.strip_prefix(&real).unwrap_or(&i).display().to_string())
        .collect();
    if !held.is_empty() {
        return Err(refuse(
            dir,
            format!("it holds {}, read by this build", list(&held)),
            "write the output to a directory of its own, e.g. `-o deploy`",
        ));
    }
    let foreign = foreign_entries(&real)?;
    if !foreign.is_empty() {
        return Err(refuse(
            dir,
            format!("it holds {}, not written by prefectc", list(&foreign)),
            HELP_FOREIGN,
        ));
    }
    Ok(Target {
        parent: parent.to_path_buf(),
        name: name.to_os_string(),
        exists: true,
    })
}

/// A directory that does not exist yet: its parents are created.
fn missing(dir: &Path) -> Result<Target, OutputError> {
    let name = match dir.components().next_back() {
        Some(std::path::Component::Normal(n)) => n.to_os_string(),
        _ => {
            return Err(refuse(
                dir,
                "it does not name a directory".into(),
                HELP_FOREIGN,
            ));
        }
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent)?;
    Ok(Target {
        parent: fs::canonicalize(parent)?,
        name,
        exists: false,
    })
}

/// `a`, `a and b`, `a, b, c and 4 more`, each in backquotes.
fn list(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let quoted: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(SHOWN);
    match (quoted.split_last(), more) {
        (Some((last, [])), 0) => last.clone(),
        (Some((last, rest)), 0) => format!("{} and {last}", rest.join(", ")),
        (_, more) => format!("{} and {more} more", quoted.join(", ")),
    }
}

/// The names prefectc did not write in `dir`: everything but the manifest
/// and the regular files it names (subdirectories end in `/`, links in
/// `@`). Empty for an empty directory.
fn foreign_entries(dir: &Path) -> io::Result<Vec<String>> {
    let listed = read_manifest(dir);
    let mut foreign = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type()?;
        let ours = kind.is_file()
            && listed
                .as_ref()
                .is_some_and(|l| name == MANIFEST || l.contains(&name));
        if ours {
            continue;
        }
        let suffix = if kind.is_dir() {
            "/"
        } else if kind.is_symlink() {
            "@"
        } else {
            ""
        };
        foreign.push(format!("{name}{suffix}"));
    }
    foreign.sort();
    Ok(foreign)
}

/// The file names a directory's manifest lists, if it has one (a regular
/// file starting with the header). A set: the names of a directory of
/// 80,000 files are each looked up in it.
fn read_manifest(dir: &Path) -> Option<crate::map::HashSet<String>> {
    let path = dir.join(MANIFEST);
    if !fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        return None;
    }
    Some(
        lines
            .filter(|l| !l.is_empty() && !l.contains('/') && *l != "." && *l != "..")
            .map(str::to_string)
            .collect(),
    )
}

/// Removes the stagings and old outputs an earlier run left beside the
/// target when it was killed: only directories that hold nothing prefectc
/// did not write, and whose process is gone. Failures are ignored: a
/// leftover is untidy, not wrong.
fn remove_leftovers(parent: &Path, target: &std::ffi::OsStr) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name() == target {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix(STAGING_PREFIX)
            .or_else(|| name.strip_prefix(OLD_PREFIX))
        else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_dir()) || still_running(rest) {
            continue;
        }
        let path = entry.path();
        if foreign_entries(&path).is_ok_and(|f| f.is_empty()) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Whether the process whose id starts `rest` (`<pid>-<random>`) is alive.
fn still_running(rest: &str) -> bool {
    let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<i32>().ok()) else {
        return false;
    };
    #[cfg(unix)]
    {
        match rustix::process::Pid::from_raw(pid) {
            Some(pid) => {
                !matches!(rustix::process::test_kill_process(pid), Err(e) if e == rustix::io::Errno::SRCH)
            }
            None => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Puts the staged directory in place of the target.
fn swap(staging: tempfile::TempDir, target: &Target, dir: &Path) -> Result<(), OutputError> {
    let dest = target.path();
    if !target.exists {
        rename_no_replace(staging.path(), &dest)?;
        // The staging path is gone: nothing left to remove.
        let _ = staging.keep();
        return Ok(());
    }
    match exchange(staging.path(), &dest) {
        Ok(()) => {
            // The staging path now holds the old output. Something written
            // into it between the check and the swap is swapped back.
            let foreign = foreign_entries(staging.path())?;
            if !foreign.is_empty() {
                exchange(staging.path(), &dest)?;
                return Err(refuse(
                    dir,
                    format!(
                        "{} appeared in it while prefectc was writing",
                        list(&foreign)
                    ),
                    HELP_FOREIGN,
                ));
            }
            staging.close()?;
            Ok(())
        }
        Err(e) if exchange_unsupported(&e) => swap_by_two_renames(staging, &dest),
        Err(e) => Err(e.into()),
    }
}

/// The fallback where the file system cannot exchange: the old output is
/// renamed aside, the new one into place (the target is missing for that
/// moment), and a failure puts the old one back.
fn swap_by_two_renames(staging: tempfile::TempDir, dest: &Path) -> Result<(), OutputError> {
    let parent = dest.parent().unwrap_or(Path::new("."));
    let old = tempfile::Builder::new()
        .prefix(&format!("{OLD_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)?
        .keep();
    fs::remove_dir(&old)?;
    fs::rename(dest, &old)?;
    if let Err(e) = fs::rename(staging.path(), dest) {
        fs::rename(&old, dest)?;
        return Err(e.into());
    }
    let _ = staging.keep();
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The file system (or kernel) has no atomic exchange.
fn exchange_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported || {
        #[cfg(unix)]
        {
            let errno = rustix::io::Errno::from_io_error(e);
            errno == Some(rustix::io::Errno::INVAL) || errno == Some(rustix::io::Errno::NOSYS)
        }
        #[cfg(not(unix))]
        {
            false
        }
    }
}

/// Renames `from` to `to` unless `to` appeared meanwhile.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            fs::rename(from, to)
        }
        other => other.map_err(io::Error::from),
    }
}

/// Renames `from` to `to`; a directory that appeared meanwhile is replaced
/// only if empty (the platform's rename refuses a non-empty one).
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, String)> {
        vec![
            ("a.yaml".to_string(), "a: 1\n".to_string()),
            ("b.yaml".to_string(), "b: 2\n".to_string()),
            ("kustomization.yaml".to_string(), "k: 3\n".to_string()),
        ]
    }

    /// [`write_files`] of (name, text) pairs.
    fn write(
        files: &[(String, String)],
        dir: &Path,
        before_write: &mut dyn FnMut(&str) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let text = |i: usize| files[i].1.clone();
        let files = Files {
            names: files.iter().map(|(n, _)| n.clone()).collect(),
            text: &text,
        };
        write_files(&files, dir, &[], before_write)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn a_failure_mid_write_keeps_the_old_output_and_leaves_no_staging() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        write(&files(), &out, &mut |_| Ok(())).expect("first write");
        let before = names(&out);
        let mut written = 0;
        let err = write(
            &[("new.yaml".to_string(), "n: 1\n".to_string())]
                .into_iter()
                .chain(files())
                .collect::<Vec<_>>(),
            &out,
            &mut |_| {
                written += 1;
                if written == 2 {
                    Err(io::Error::other("disk full (injected)"))
                } else {
                    Ok(())
                }
            },
        )
        .expect_err("fails");
        assert!(err.to_string().contains("injected"), "{err}");
        assert_eq!(names(&out), before);
        assert_eq!(
            fs::read_to_string(out.join("a.yaml")).expect("kept"),
            "a: 1\n"
        );
        assert_eq!(names(tmp.path()), vec!["out".to_string()]);
    }

    #[test]
    fn a_refused_directory_is_not_touched() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("notes.txt"), "mine").expect("write");
        let err = write(&files(), &out, &mut |_| Ok(())).expect_err("refused");
        assert!(matches!(err, OutputError::Refused { .. }));
        assert!(err.to_string().contains("`notes.txt`"), "{err}");
        assert_eq!(names(&out), vec!["notes.txt".to_string()]);
        assert_eq!(names(tmp.path()), vec!["out".to_string()]);
    }

    #[test]
    fn lists_name_a_few_and_count_the_rest() {
        let n = |k: usize| (0..k).map(|i| i.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&n(1)), "`0`");
        assert_eq!(list(&n(2)), "`0` and `1`");
        assert_eq!(list(&n(3)), "`0`, `1` and `2`");
        assert_eq!(list(&n(7)), "`0`, `1`, `2`, `3`, `4` and 2 more");
    }
}
