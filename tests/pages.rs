//! `prefectc::pages`: a large heap's pages are faulted in by the other
//! thread, before the main thread writes them, and no byte changes.
//!
//! Without the test harness (`harness = false` in Cargo.toml): what is
//! measured is glibc's main heap, which only the main thread allocates
//! from (libtest runs each test on a thread of its own, with a heap of its
//! own). Each case runs in a process of its own, this binary run again with
//! the case's name, so that one case's heap is not the next one's start.

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use prefectc::pages::{Ahead, LARGE_HEAP, PAD, program_break};

/// A block below glibc's mmap threshold (128 KiB), so from the main heap.
const BLOCK: usize = 64 << 10;
/// What each case writes once the heap is large, and counts the faults of.
const MEASURED: usize = 64 << 20;
const PAGE: usize = 4096;

fn main() -> ExitCode {
    if cfg!(not(all(target_os = "linux", target_env = "gnu"))) {
        println!("pages: nothing to test here (Linux with glibc only)");
        return ExitCode::SUCCESS;
    }
    let args: Vec<String> = std::env::args().collect();
    // Run by libtest's arguments (`cargo test -- NAME`) or as a case.
    if let Some(case) = args
        .iter()
        .position(|a| a == "--case")
        .and_then(|i| args.get(i + 1))
    {
        return case_main(case);
    }
    let mut failed = 0;
    for (name, check) in CASES {
        match check() {
            Ok(()) => println!("test {name} ... ok"),
            Err(why) => {
                println!("test {name} ... FAILED\n  {why}");
                failed += 1;
            }
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

type Check = fn() -> Result<(), String>;

const CASES: &[(&str, Check)] = &[
    (
        "a_large_heap_is_faulted_in_by_the_other_thread",
        a_large_heap_is_faulted_in_by_the_other_thread,
    ),
    (
        "without_it_the_main_thread_takes_the_faults",
        without_it_the_main_thread_takes_the_faults,
    ),
    (
        "a_small_heap_is_left_as_it_is",
        a_small_heap_is_left_as_it_is,
    ),
    (
        "a_heap_expected_large_is_faulted_in_from_the_start",
        a_heap_expected_large_is_faulted_in_from_the_start,
    ),
];

/// What a case reports, one `key=value` per line on standard output.
struct Report(Vec<(String, u64)>);

impl Report {
    fn get(&self, key: &str) -> Result<u64, String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .ok_or_else(|| format!("the case reported no `{key}`"))
    }
}

fn run_case(case: &str) -> Result<Report, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["--case", case])
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "case {case} failed: {}\n{stdout}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(Report(
        stdout
            .lines()
            .filter_map(|l| l.split_once('='))
            .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
            .collect(),
    ))
}

/// The thread faults in what the main thread then writes: the main thread
/// takes at most a tenth of the faults of the pages it writes, the heap
/// grows by the pad at a time, and every byte written reads back.
fn a_large_heap_is_faulted_in_by_the_other_thread() -> Result<(), String> {
    let r = run_case("ahead")?;
    let (pages, faults, growths) = (r.get("pages")?, r.get("faults")?, r.get("growths")?);
    if faults * 10 > pages {
        return Err(format!(
            "the main thread took {faults} faults writing {pages} pages"
        ));
    }
    let most = (MEASURED / PAD + 2) as u64;
    if growths > most {
        return Err(format!(
            "the heap grew {growths} times for {MEASURED} bytes: not by the pad ({PAD} bytes)"
        ));
    }
    if r.get("wrong_bytes")? != 0 {
        return Err(format!("{} bytes read back wrong", r.get("wrong_bytes")?));
    }
    Ok(())
}

/// The negative control: the same writes without the thread fault nearly
/// every page on the main thread, so the case above can fail.
fn without_it_the_main_thread_takes_the_faults() -> Result<(), String> {
    let r = run_case("alone")?;
    let (pages, faults) = (r.get("pages")?, r.get("faults")?);
    if faults * 10 < pages * 9 {
        return Err(format!(
            "without the thread, the main thread took only {faults} faults writing {pages} pages"
        ));
    }
    Ok(())
}

/// Below [`LARGE_HEAP`] the thread neither pads the heap nor faults
/// anything in: a small build keeps its memory.
fn a_small_heap_is_left_as_it_is() -> Result<(), String> {
    let r = run_case("small")?;
    if r.get("populated")? != 0 {
        return Err("the thread faulted in a heap below LARGE_HEAP".into());
    }
    if r.get("padded")? != 0 {
        return Err("the heap below LARGE_HEAP grew by the pad".into());
    }
    Ok(())
}

/// A build known to be large (`Ahead::expect_large`, a large root file)
/// has its heap padded and faulted in before it has grown by
/// [`LARGE_HEAP`]: the same growth as the case above, whose thread does
/// neither, is its negative control.
fn a_heap_expected_large_is_faulted_in_from_the_start() -> Result<(), String> {
    let r = run_case("expected")?;
    if r.get("populated")? == 0 {
        return Err("the thread faulted nothing in of a heap expected large".into());
    }
    if r.get("padded")? != 1 {
        return Err("the heap expected large did not grow by the pad".into());
    }
    Ok(())
}

fn case_main(case: &str) -> ExitCode {
    let result = match case {
        "ahead" => write_large(true),
        "alone" => write_large(false),
        "small" => write_small(false),
        "expected" => write_small(true),
        _ => Err(format!("no case {case}")),
    };
    match result {
        Ok(report) => {
            for (k, v) in report {
                println!("{k}={v}");
            }
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("{why}");
            ExitCode::FAILURE
        }
    }
}

/// The main thread's page faults so far.
fn faults() -> u64 {
    // SAFETY: getrusage writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
        usage
    };
    u64::try_from(usage.ru_minflt).unwrap_or(0)
}

fn block(fill: u8) -> Vec<u8> {
    let mut b = Vec::with_capacity(BLOCK);
    b.resize(BLOCK, fill);
    b
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) -> Result<(), String> {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > Duration::from_secs(20) {
            return Err(format!("waited 20 s for {what}"));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

/// Grows the heap past [`LARGE_HEAP`], then writes [`MEASURED`] bytes
/// more, counting the main thread's faults while it writes (with the
/// thread, after waiting for it to have faulted in each growth, so that
/// the count does not depend on the machine's load).
fn write_large(ahead: bool) -> Result<Vec<(&'static str, u64)>, String> {
    let brk = || program_break().ok_or("no program break");
    let thread = if ahead {
        Some(Ahead::start().ok_or("the thread did not start")?)
    } else {
        None
    };
    let base = brk()?;
    let mut kept = Vec::new();
    while brk()? - base < LARGE_HEAP + 2 * PAD {
        kept.push(block(1));
    }
    if let Some(thread) = &thread {
        // The pad is set once the thread has seen the heap large.
        wait_until("the thread to fault in a growth", || {
            kept.push(block(1));
            thread.populated() != 0
        })?;
    }
    let (mut counted, mut growths, mut last) = (0, 0, brk()?);
    let mut written = Vec::new();
    for i in 0..MEASURED / BLOCK {
        let mut b: Vec<u8> = Vec::with_capacity(BLOCK);
        let end = brk()?;
        if end != last {
            growths += 1;
            last = end;
            if let Some(thread) = &thread {
                wait_until("the thread to fault in the growth", || {
                    thread.populated() >= end
                })?;
            }
        }
        let before = faults();
        b.resize(BLOCK, (i % 251) as u8);
        counted += faults() - before;
        written.push(b);
    }
    let wrong = written
        .iter()
        .enumerate()
        .map(|(i, b)| b.iter().filter(|&&x| x != (i % 251) as u8).count() as u64)
        .sum();
    drop(kept);
    Ok(vec![
        ("pages", (MEASURED / PAGE) as u64),
        ("faults", counted),
        ("growths", growths),
        ("wrong_bytes", wrong),
    ])
}

/// A heap grown to half of [`LARGE_HEAP`], watched for a while; with
/// `expected`, the thread is told first that the build is large. The heap
/// grows a block a millisecond, so that the thread, which looks every
/// millisecond, sees it grow.
fn write_small(expected: bool) -> Result<Vec<(&'static str, u64)>, String> {
    let thread = Ahead::start().ok_or("the thread did not start")?;
    if expected {
        thread.expect_large();
    }
    let base = program_break().ok_or("no program break")?;
    let mut kept = Vec::new();
    let mut most_growth = 0;
    let mut last = base;
    while program_break().ok_or("no program break")? - base < LARGE_HEAP / 2 {
        kept.push(block(1));
        let end = program_break().ok_or("no program break")?;
        most_growth = most_growth.max(end - last);
        last = end;
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(Duration::from_millis(50));
    Ok(vec![
        ("populated", thread.populated() as u64),
        ("padded", u64::from(most_growth >= PAD)),
    ])
}
