//! `build -o DIR` replaces only a directory prefectc wrote: the real binary
//! run against directories that are not its own, which it must refuse
//! without touching anything, and against its own, which it must replace
//! without ever leaving `DIR` missing or stagings behind.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SITE: &str = "site demo {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n\n\
                    server prefect {\n  database = sqlite { size = 2Gi }\n}\n\n\
                    pool default { type = kubernetes }\n\n\
                    worker k8s {\n  pool = default\n  api  = prefect\n}\n";

/// A project directory holding `site.pfk`.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(tmp.path().join("site.pfk"), SITE).expect("writes");
    tmp
}

fn build(cwd: &Path, file: &str, out: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .current_dir(cwd)
        .args(["build", file, "-o", out])
        .output()
        .expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every path below `dir` (names only, sorted), with each file's text.
fn tree(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("reads").flatten() {
            let p = e.path();
            let t = e.file_type().expect("type");
            let rel = p.strip_prefix(dir).expect("below").to_path_buf();
            if t.is_dir() {
                stack.push(p);
                all.push((rel, None));
            } else if t.is_file() {
                all.push((rel, Some(fs::read(&p).expect("reads"))));
            } else {
                all.push((rel, None));
            }
        }
    }
    all.sort();
    all
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .expect("reads")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

/// Runs a build that must be refused, and checks nothing changed anywhere
/// in `watch` and that stderr names `offending`.
fn assert_refused(cwd: &Path, file: &str, out: &str, watch: &Path, offending: &str) {
    let before = tree(watch);
    let o = build(cwd, file, out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("refusing to replace"), "{err}");
    assert!(err.contains(offending), "`{offending}` not named in: {err}");
    assert_eq!(tree(watch), before, "something was touched");
}

#[test]
fn the_project_directory_itself_is_refused() {
    let p = project();
    fs::write(p.path().join("notes.txt"), "mine").expect("writes");
    let cwd = p.path().to_str().expect("utf-8 path");
    assert_refused(p.path(), "site.pfk", cwd, p.path(), "site.pfk");
}

#[test]
fn dot_is_refused() {
    let p = project();
    assert_refused(p.path(), "site.pfk", ".", p.path(), "site.pfk");
}

#[test]
fn an_ancestor_of_the_input_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let proj = tmp.path().join("proj");
    fs::create_dir(&proj).expect("mkdir");
    fs::write(proj.join("site.pfk"), SITE).expect("writes");
    assert_refused(&proj, "site.pfk", "..", tmp.path(), "proj/site.pfk");
}

#[test]
fn a_directory_holding_an_import_is_refused() {
    let p = project();
    fs::create_dir(p.path().join("lib")).expect("mkdir");
    fs::write(
        p.path().join("lib/pools.pfk"),
        "pool extra { type = process }\n",
    )
    .expect("writes");
    fs::write(
        p.path().join("site.pfk"),
        format!("import \"lib/pools.pfk\"\n{SITE}"),
    )
    .expect("writes");
    assert_refused(p.path(), "site.pfk", "lib", p.path(), "pools.pfk");
}

#[cfg(unix)]
#[test]
fn a_path_through_a_symlink_to_the_project_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let proj = tmp.path().join("proj");
    fs::create_dir(&proj).expect("mkdir");
    fs::write(proj.join("site.pfk"), SITE).expect("writes");
    std::os::unix::fs::symlink(tmp.path(), tmp.path().join("alias")).expect("symlink");
    // `alias/proj` is the project itself, reached through the link.
    assert_refused(&proj, "site.pfk", "../alias/proj", tmp.path(), "site.pfk");
}

#[test]
fn a_regular_file_is_refused() {
    let p = project();
    fs::write(p.path().join("out"), "precious").expect("writes");
    assert_refused(p.path(), "site.pfk", "out", p.path(), "a regular file");
}

#[test]
fn a_directory_with_a_foreign_file_is_refused() {
    let p = project();
    fs::create_dir(p.path().join("out")).expect("mkdir");
    fs::write(p.path().join("out/README"), "mine").expect("writes");
    assert_refused(p.path(), "site.pfk", "out", p.path(), "`README`");
}

#[test]
fn a_directory_with_a_foreign_subdirectory_is_refused() {
    let p = project();
    fs::create_dir_all(p.path().join("out/keep")).expect("mkdir");
    assert_refused(p.path(), "site.pfk", "out", p.path(), "`keep/`");
}

#[test]
fn prefectc_output_with_a_foreign_file_added_is_refused() {
    let p = project();
    assert_eq!(build(p.path(), "site.pfk", "out").status.code(), Some(0));
    fs::write(p.path().join("out/extra.yaml"), "kind: ConfigMap\n").expect("writes");
    assert_refused(p.path(), "site.pfk", "out", p.path(), "`extra.yaml`");
}

#[cfg(unix)]
#[test]
fn a_symlink_is_refused() {
    let p = project();
    fs::create_dir(p.path().join("real")).expect("mkdir");
    std::os::unix::fs::symlink(p.path().join("real"), p.path().join("out")).expect("symlink");
    for spelling in ["out", "out/", "out/.", "./out//"] {
        assert_refused(p.path(), "site.pfk", spelling, p.path(), "symbolic link");
    }
    fs::write(p.path().join("file"), "precious").expect("writes");
    std::os::unix::fs::symlink(p.path().join("file"), p.path().join("to-file")).expect("symlink");
    assert_refused(p.path(), "site.pfk", "to-file", p.path(), "symbolic link");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused() {
    let p = project();
    let made = Command::new("mkfifo")
        .arg(p.path().join("out"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    assert_refused(p.path(), "site.pfk", "out", p.path(), "a named pipe");
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_directory_is_refused() {
    let p = project();
    fs::create_dir(p.path().join("out")).expect("mkdir");
    std::os::unix::fs::symlink("../site.pfk", p.path().join("out/link.yaml")).expect("symlink");
    assert_refused(p.path(), "site.pfk", "out", p.path(), "`link.yaml@`");
}

#[test]
fn a_rebuild_replaces_its_own_output_and_drops_stale_files() {
    let p = project();
    let first = build(p.path(), "site.pfk", "out");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(p.path().join("out/deployment-k8s.yaml").is_file());
    // The worker goes away: its file must too.
    let without_worker = SITE.split("worker k8s").next().expect("has a worker");
    fs::write(p.path().join("site.pfk"), without_worker).expect("writes");
    let second = build(p.path(), "site.pfk", "out");
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(!p.path().join("out/deployment-k8s.yaml").exists());
    let kustomization =
        fs::read_to_string(p.path().join("out/kustomization.yaml")).expect("written");
    assert!(!kustomization.contains("deployment-k8s.yaml"));
    assert_eq!(names(p.path()), vec!["out", "site.pfk"], "no staging left");
}

#[test]
fn the_output_is_the_objects_the_kustomization_and_the_manifest() {
    let p = project();
    let o = build(p.path(), "site.pfk", "out");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = p.path().join("out");
    let kustomization = fs::read_to_string(out.join("kustomization.yaml")).expect("written");
    assert!(!kustomization.contains(".prefectc"));
    let resources: Vec<&str> = kustomization
        .lines()
        .filter_map(|l| l.strip_prefix("  - "))
        .collect();
    let manifest = fs::read_to_string(out.join(".prefectc")).expect("manifest");
    let mut listed: Vec<&str> = manifest.lines().skip(1).collect();
    listed.sort();
    let mut expected: Vec<&str> = resources.clone();
    expected.push("kustomization.yaml");
    expected.sort();
    assert_eq!(listed, expected);
    let mut on_disk = names(&out);
    on_disk.retain(|n| n != ".prefectc");
    assert_eq!(on_disk, expected);
    // Each file is the object's document from the stream.
    let stream = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .current_dir(p.path())
        .args(["build", "site.pfk"])
        .output()
        .expect("runs");
    let stream = String::from_utf8_lossy(&stream.stdout).into_owned();
    let joined: String = resources
        .iter()
        .map(|r| format!("---\n{}", fs::read_to_string(out.join(r)).expect("reads")))
        .collect();
    assert_eq!(joined, stream);
}

#[test]
fn an_empty_directory_is_written() {
    let p = project();
    fs::create_dir(p.path().join("out")).expect("mkdir");
    let o = build(p.path(), "site.pfk", "out");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(p.path().join("out/kustomization.yaml").is_file());
}

#[test]
fn a_missing_directory_and_its_parents_are_created() {
    let p = project();
    let o = build(p.path(), "site.pfk", "build/a/b/out");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(p.path().join("build/a/b/out/kustomization.yaml").is_file());
    assert_eq!(names(&p.path().join("build/a/b")), vec!["out"]);
}

#[test]
fn leftovers_of_a_killed_run_are_removed_and_foreign_ones_kept() {
    let p = project();
    // A staging with a manifest and a partial file, an empty old output, a
    // staging that holds a user's file (not prefectc's: kept).
    let staging = p.path().join(".prefectc-out-xyz");
    fs::create_dir(&staging).expect("mkdir");
    fs::write(
        staging.join(".prefectc"),
        "# prefectc build -o: the files prefectc wrote here, one a line.\na.yaml\n",
    )
    .expect("writes");
    fs::write(staging.join("a.yaml"), "kind: Par").expect("writes");
    fs::create_dir(p.path().join(".prefectc-old-abc")).expect("mkdir");
    let foreign = p.path().join(".prefectc-out-mine");
    fs::create_dir(&foreign).expect("mkdir");
    fs::write(foreign.join("thesis.tex"), "precious").expect("writes");
    let o = build(p.path(), "site.pfk", "out");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        names(p.path()),
        vec![".prefectc-out-mine", "out", "site.pfk"]
    );
    assert_eq!(names(&foreign), vec!["thesis.tex"]);
}

#[test]
fn a_failed_build_leaves_the_output_and_no_staging() {
    let p = project();
    assert_eq!(build(p.path(), "site.pfk", "out").status.code(), Some(0));
    let before = tree(p.path());
    fs::write(p.path().join("broken.pfk"), "site s {\n  namespace = 1\n").expect("writes");
    let o = build(p.path(), "broken.pfk", "out");
    assert_eq!(o.status.code(), Some(1));
    fs::remove_file(p.path().join("broken.pfk")).expect("removes");
    assert_eq!(tree(p.path()), before);
}

#[test]
fn an_output_named_like_a_staging_is_not_taken_for_a_leftover() {
    let p = project();
    for _ in 0..2 {
        let o = build(p.path(), "site.pfk", ".prefectc-out-x");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert!(
        p.path()
            .join(".prefectc-out-x/kustomization.yaml")
            .is_file()
    );
}

fn check_dir(cwd: &Path, out: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .current_dir(cwd)
        .args(["build", "site.pfk", "-o", out, "--check"])
        .output()
        .expect("runs")
}

/// `build -o DIR --check`: exit 0 on a current directory, 1 with the list of
/// differences on a stale one, and nothing written either way.
#[test]
fn check_compares_and_writes_nothing() {
    let p = project();
    // Missing: reported, not created.
    let o = check_dir(p.path(), "deploy");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("missing directory"));
    assert!(!p.path().join("deploy").exists());
    // Current: exit 0, nothing printed.
    assert!(build(p.path(), "site.pfk", "deploy").status.success());
    let before = tree(&p.path().join("deploy"));
    let o = check_dir(p.path(), "deploy");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    // Stale: one file edited, one removed, one added; each is listed.
    let dir = p.path().join("deploy");
    let edited = "deployment-k8s.yaml";
    let removed = "service-prefect.yaml";
    assert!(dir.join(edited).exists() && dir.join(removed).exists());
    fs::write(dir.join(edited), "edited by hand\n").unwrap();
    fs::remove_file(dir.join(removed)).unwrap();
    fs::write(dir.join("notes.txt"), "mine\n").unwrap();
    let stale = tree(&dir);
    let o = check_dir(p.path(), "deploy");
    assert_eq!(o.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&o.stdout);
    assert!(listed.contains(&format!("changed: {edited}")), "{listed}");
    assert!(listed.contains(&format!("missing: {removed}")), "{listed}");
    assert!(listed.contains("not built: notes.txt"), "{listed}");
    assert_eq!(listed.lines().count(), 3, "{listed}");
    assert_eq!(tree(&dir), stale, "--check wrote something");
    assert_ne!(before, stale);
    // A changed site makes a current directory stale too.
    fs::remove_file(dir.join("notes.txt")).unwrap();
    assert!(build(p.path(), "site.pfk", "deploy").status.success());
    fs::write(p.path().join("site.pfk"), SITE.replace("2Gi", "3Gi")).unwrap();
    let o = check_dir(p.path(), "deploy");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("changed: "));
}

/// Every example and spec example written with `-o` gives one file per
/// object of its stream: two objects of one kind and name in different
/// namespaces (a pool's flow-run ServiceAccount in each job namespace)
/// once collided and failed the write with "File exists".
#[test]
fn every_example_writes_one_file_per_object() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sites: Vec<PathBuf> = Vec::new();
    for dir in [root.join("examples"), root.join("../shared/spec/examples")] {
        for e in fs::read_dir(&dir).expect("reads").flatten() {
            if e.path().extension().is_some_and(|x| x == "pfk") {
                sites.push(e.path());
            }
        }
    }
    sites.push(root.join("examples/teams/site.pfk"));
    sites.sort();
    let mut checked = 0;
    for site in sites {
        let stream = Command::new(env!("CARGO_BIN_EXE_prefectc"))
            .args(["build".as_ref(), site.as_os_str()])
            .output()
            .expect("runs");
        if !stream.status.success() {
            // A shared file (many-teams-common.pfk) is not a site.
            continue;
        }
        let documents = String::from_utf8_lossy(&stream.stdout)
            .lines()
            .filter(|l| *l == "---")
            .count();
        let out = tempfile::tempdir().expect("tempdir");
        let dir = out.path().join("out");
        let written = Command::new(env!("CARGO_BIN_EXE_prefectc"))
            .args([
                "build".as_ref(),
                site.as_os_str(),
                "-o".as_ref(),
                dir.as_os_str(),
            ])
            .output()
            .expect("runs");
        assert!(
            written.status.success(),
            "{}: {}",
            site.display(),
            stderr(&written)
        );
        let files: Vec<String> = names(&dir)
            .into_iter()
            .filter(|n| n.ends_with(".yaml") && n != "kustomization.yaml")
            .collect();
        assert_eq!(files.len(), documents, "{}", site.display());
        // Each file holds one document of the stream, byte for byte, and
        // the kustomization lists every file once.
        let stdout = String::from_utf8_lossy(&stream.stdout);
        let mut expected: Vec<String> = Vec::new();
        for line in stdout.split_inclusive('\n') {
            match expected.last_mut() {
                _ if line == "---\n" => expected.push(String::new()),
                Some(document) => document.push_str(line),
                None => panic!("{}: the stream starts with {line:?}", site.display()),
            }
        }
        let mut texts: Vec<String> = files
            .iter()
            .map(|n| fs::read_to_string(dir.join(n)).expect("reads"))
            .collect();
        expected.sort();
        texts.sort();
        assert_eq!(texts, expected, "{}", site.display());
        let kustomization = fs::read_to_string(dir.join("kustomization.yaml")).expect("reads");
        let mut listed: Vec<&str> = kustomization
            .lines()
            .filter_map(|l| l.strip_prefix("  - "))
            .collect();
        listed.sort();
        assert_eq!(listed, files, "{}", site.display());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} sites built");
}
