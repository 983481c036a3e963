//! Imports stay in the project root and never hang: trees with symbolic
//! links, named pipes and oversized files built in a temporary directory by
//! the real binary. Each case checks the diagnostic's code, line and column,
//! and that text from outside the root never reaches the output.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const SITE: &str = "site demo {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n\n\
                    server prefect {\n  database = sqlite { size = 2Gi }\n}\n";

/// Text that must never show in a diagnostic or the YAML.
const SECRET: &str = "OUTSIDE-SECRET";
const OUTSIDE: &str = "// OUTSIDE-SECRET\npool outsidepool { type = process }\n";

/// `proj/` (the root, with `site.pfk` importing `imports`) and `outside/`
/// (with `x.pfk` holding [`OUTSIDE`]) in a fresh directory.
fn tree(imports: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(tmp.path().join("proj")).expect("mkdir");
    fs::create_dir_all(tmp.path().join("outside")).expect("mkdir");
    fs::write(tmp.path().join("outside/x.pfk"), OUTSIDE).expect("writes");
    let mut site = String::new();
    for i in imports {
        site.push_str(&format!("import \"{i}\"\n"));
    }
    site.push_str(SITE);
    fs::write(tmp.path().join("proj/site.pfk"), site).expect("writes");
    tmp
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// Runs the binary, killing it (and failing) if it takes over two minutes
/// (generous for a loaded machine): a hang is the bug some of these cases
/// guard against.
fn run(mut cmd: Command) -> Output {
    let child: Child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let id = child.id();
    let start = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    loop {
        if let Ok(out) = rx.try_recv() {
            return out.expect("waits");
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            panic!("prefectc hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn prefectc(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_prefectc"));
    cmd.current_dir(dir).args(args);
    run(cmd)
}

/// Builds `proj/site.pfk` twice (human, JSON) and returns the exit code,
/// every `(code, line, column)` and both renderings, checking that nothing
/// from outside the root shows anywhere.
fn build(tmp: &Path) -> (Option<i32>, Vec<(String, u64, u64)>, String) {
    let proj = tmp.join("proj");
    let human = prefectc(&proj, &["build", "site.pfk"]);
    let json = prefectc(&proj, &["check", "site.pfk", "--format", "json"]);
    let mut all = String::new();
    for o in [&human, &json] {
        all.push_str(&String::from_utf8_lossy(&o.stdout));
        all.push_str(&String::from_utf8_lossy(&o.stderr));
    }
    assert!(!all.contains(SECRET), "outside text leaked:\n{all}");
    assert!(
        !all.contains("outsidepool"),
        "outside declaration leaked:\n{all}"
    );
    let codes = String::from_utf8_lossy(&json.stdout)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            (
                v["code"].as_str().unwrap_or("").to_string(),
                v["line"].as_u64().unwrap_or(0),
                v["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (human.status.code(), codes, all)
}

#[cfg(unix)]
#[test]
fn a_linked_file_leading_outside_is_refused() {
    let t = tree(&["x.pfk"]);
    symlink(t.path().join("outside/x.pfk"), t.path().join("proj/x.pfk"));
    let (code, diags, all) = build(t.path());
    assert_eq!(code, Some(1));
    assert_eq!(diags, vec![("E0203".to_string(), 1, 8)]);
    assert!(all.contains("through a symbolic link"), "{all}");
}

#[cfg(unix)]
#[test]
fn a_linked_directory_leading_outside_is_refused() {
    let t = tree(&["lib/x.pfk"]);
    symlink(t.path().join("outside"), t.path().join("proj/lib"));
    let (code, diags, _) = build(t.path());
    assert_eq!(code, Some(1));
    assert_eq!(diags, vec![("E0203".to_string(), 1, 8)]);
}

#[cfg(unix)]
#[test]
fn a_relative_link_climbing_out_is_refused() {
    let t = tree(&["sub/x.pfk"]);
    fs::create_dir(t.path().join("proj/sub")).expect("mkdir");
    symlink("../../outside/x.pfk", t.path().join("proj/sub/x.pfk"));
    let (_, diags, _) = build(t.path());
    assert_eq!(diags, vec![("E0203".to_string(), 1, 8)]);
}

#[cfg(unix)]
#[test]
fn a_link_to_dev_zero_is_refused_without_reading_it() {
    let t = tree(&["zero.pfk"]);
    symlink("/dev/zero", t.path().join("proj/zero.pfk"));
    let (code, diags, _) = build(t.path());
    assert_eq!(code, Some(1));
    assert_eq!(diags, vec![("E0203".to_string(), 1, 8)]);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_blocking() {
    let t = tree(&["fifo.pfk"]);
    let made = Command::new("mkfifo")
        .arg(t.path().join("proj/fifo.pfk"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let (code, diags, all) = build(t.path());
    assert_eq!(code, Some(1));
    assert_eq!(diags, vec![("E0204".to_string(), 1, 8)]);
    assert!(all.contains("not a regular file"), "{all}");
}

#[test]
fn a_directory_is_refused() {
    let t = tree(&["lib"]);
    fs::create_dir(t.path().join("proj/lib")).expect("mkdir");
    let (code, diags, all) = build(t.path());
    assert_eq!(code, Some(1));
    assert_eq!(diags, vec![("E0204".to_string(), 1, 8)]);
    assert!(all.contains("a directory"), "{all}");
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let t = tree(&["big.pfk"]);
    let big = fs::File::create(t.path().join("proj/big.pfk")).expect("creates");
    big.set_len(16 * 1024 * 1024 + 1).expect("sparse file");
    let (code, diags, all) = build(t.path());
    assert_eq!(code, Some(1));
    assert_eq!(diags, vec![("E0204".to_string(), 1, 8)]);
    assert!(all.contains("larger than the 16 MiB limit"), "{all}");
}

#[test]
fn a_file_at_the_size_limit_is_read() {
    let t = tree(&["big.pfk"]);
    let mut text = "pool big { type = process }\n".as_bytes().to_vec();
    text.resize(16 * 1024 * 1024, b'\n');
    fs::write(t.path().join("proj/big.pfk"), text).expect("writes");
    // One run: reading 16 MiB is slow in a debug build.
    let o = prefectc(&t.path().join("proj"), &["check", "site.pfk"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[cfg(unix)]
#[test]
fn a_cycle_through_a_linked_directory_is_a_cycle() {
    let t = tree(&["again/site.pfk"]);
    symlink(".", t.path().join("proj/again"));
    let (code, diags, all) = build(t.path());
    assert_eq!(code, Some(1));
    assert_eq!(diags, vec![("E0205".to_string(), 1, 8)]);
    assert!(all.contains("through a symbolic link"), "{all}");
}

#[cfg(unix)]
#[test]
fn one_file_by_two_paths_is_read_once() {
    let t = tree(&["lib/pools.pfk", "alias/pools.pfk"]);
    fs::create_dir(t.path().join("proj/lib")).expect("mkdir");
    fs::write(
        t.path().join("proj/lib/pools.pfk"),
        "pool jobs { type = process }\n",
    )
    .expect("writes");
    symlink("lib", t.path().join("proj/alias"));
    let (code, diags, _) = build(t.path());
    assert_eq!(code, Some(0), "{diags:?}");
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_root_is_followed() {
    let t = tree(&["pools.pfk"]);
    fs::write(
        t.path().join("proj/real.pfk"),
        "pool jobs { type = process }\n",
    )
    .expect("writes");
    symlink("real.pfk", t.path().join("proj/pools.pfk"));
    let (code, diags, _) = build(t.path());
    assert_eq!(code, Some(0), "{diags:?}");
}

#[cfg(unix)]
#[test]
fn a_root_file_that_is_a_pipe_or_a_device_is_refused_at_once() {
    let t = tree(&[]);
    let made = Command::new("mkfifo")
        .arg(t.path().join("proj/pipe.pfk"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let o = prefectc(&t.path().join("proj"), &["build", "pipe.pfk"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file (a named pipe)"));
    let o = prefectc(&t.path().join("proj"), &["build", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file (a device)"));
}

#[test]
fn standard_input_is_capped() {
    let t = tree(&[]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .current_dir(t.path().join("proj"))
        .args(["build", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'\n'; 1024 * 1024];
        // Far more than the cap; prefectc stops reading (the pipe breaks).
        for _ in 0..64 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let o = child.wait_with_output().expect("waits");
    let _ = writer.join();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("larger than the 16 MiB limit"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn an_import_that_is_not_utf8_points_at_its_first_bad_byte() {
    let t = tree(&["latin1.pfk"]);
    fs::write(
        t.path().join("proj/latin1.pfk"),
        b"// owner\npool jobs { type = process, description = \"Andr\xE9\" }\n",
    )
    .expect("writes");
    let (code, diags, all) = build(t.path());
    assert_eq!(code, Some(1));
    assert_eq!(diags, vec![("E0105".to_string(), 2, 48)]);
    assert!(all.contains("0xE9"), "{all}");
}

#[test]
fn a_root_file_or_standard_input_that_is_not_utf8_is_e0105() {
    let t = tree(&[]);
    let bad = b"site demo {\n  namespace = \"pr\xFFefect\"\n}\n";
    fs::write(t.path().join("proj/bad.pfk"), bad).expect("writes");
    let o = prefectc(
        &t.path().join("proj"),
        &["check", "bad.pfk", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("\"code\":\"E0105\""), "{out}");
    assert!(
        out.contains("\"line\":2") && out.contains("\"column\":18"),
        "{out}"
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bad)
        .expect("writes");
    let o = child.wait_with_output().expect("waits");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("E0105") && err.contains("<stdin>:2:18"),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_accepted_and_columns_stay_right() {
    let t = tree(&["pools.pfk"]);
    fs::write(
        t.path().join("proj/pools.pfk"),
        "\u{FEFF}pool jobs { type = process, concurrency = \"x\" }\n",
    )
    .expect("writes");
    let site = fs::read_to_string(t.path().join("proj/site.pfk")).expect("reads");
    fs::write(t.path().join("proj/site.pfk"), format!("\u{FEFF}{site}")).expect("writes");
    let (_, diags, _) = build(t.path());
    // The error is in the import, at the column a reader counts (no BOM).
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!((diags[0].1, diags[0].2), (1, 43), "{diags:?}");
}

/// The language server reads imports as the command line does: a buffer
/// the editor has open under a path that leads outside is not read either.
#[cfg(unix)]
#[test]
fn the_language_server_keeps_imports_in_the_root() {
    use prefectc::lsp::{Analysis, Documents, path_to_uri};
    let t = tree(&["x.pfk", "lib/x.pfk", "lib/unsaved.pfk"]);
    symlink(t.path().join("outside/x.pfk"), t.path().join("proj/x.pfk"));
    symlink(t.path().join("outside"), t.path().join("proj/lib"));
    let mut documents = Documents::default();
    // Open buffers under the outside directory, one saved, one not.
    for name in ["x.pfk", "unsaved.pfk"] {
        let open = t.path().join("proj/lib").join(name);
        let uri = path_to_uri(&open).expect("uri");
        documents.open(open, uri, OUTSIDE.to_string());
    }
    let analysis = Analysis::run(&t.path().join("proj/site.pfk"), &documents);
    let codes: Vec<&str> = analysis
        .output
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, vec!["E0203", "E0203", "E0203"]);
    for (_, f) in analysis.output.sources.files() {
        assert!(!f.text.contains(SECRET), "{} was read", f.name);
    }
}
