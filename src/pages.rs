//! A large build's page faults, taken on the other core before the build
//! needs the pages.
//!
//! Every page a process writes for the first time is a page fault: the
//! kernel stops the thread, finds a page, zeroes it and maps it. 10,000
//! workers write about 280 MiB, some 70,000 faults, and on this virtual
//! machine each costs the main thread about 3 µs: 0.16 to 0.20 s of a
//! build of about 1.2 s, while the other core has nothing to do until the
//! credential screen (docs/performance.md, "Page faults on the other
//! core").
//!
//! The main thread's memory is glibc's main heap, which grows at the
//! program break. [`Ahead`] watches the break from a thread of its own.
//! Once the heap has grown by [`LARGE_HEAP`] (a build of about a thousand
//! workers), or from the start when the root file alone is
//! [`LARGE_INPUT`] or more, it has glibc grow the heap [`PAD`] beyond
//! each request (`mallopt(M_TOP_PAD)`), and faults each growth in at once with
//! `madvise(MADV_POPULATE_WRITE)` (Linux 5.14): the faults the main thread
//! would have taken a page at a time over the next tens of milliseconds,
//! taken in one call on the other core. It changes no byte of memory: a
//! page populated for writing reads as the zeros the fault would have
//! given it, and a page already there is left as it is.
//!
//! What it costs: the thread's start (21 K instructions of the one-line
//! site's 877 K, no difference in its elapsed time), a wake-up every
//! [`POLL`], and at most [`PAD`] of pages faulted in that the build never
//! writes. A build that stays below
//! [`LARGE_HEAP`] never sets the pad. Only the command line starts it
//! (`build` and `check`), for one build and then the process's exit; the
//! language server and the library's callers do not. Elsewhere (other
//! systems, other C libraries, kernels before 5.14) it does nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// How much the heap must have grown since [`Ahead::start`] before the
/// thread pads it: the build is then large (a thousand workers take about
/// 35 MiB in all), and faulting ahead no longer costs a small build
/// memory it would not have used.
pub const LARGE_HEAP: usize = 32 << 20;

/// A root file at least this large makes a large build from the start
/// ([`Ahead::expect_large`]): a written-out site of about 3,000 workers,
/// whose build takes about 100 MiB.
pub const LARGE_INPUT: usize = 1 << 20;

/// How far beyond each request glibc grows the heap once it is large, and
/// so the most the thread faults in ahead of the main thread. 8 MiB lasts
/// the main thread of a large build about 30 ms, while faulting it in takes
/// 3 to 4 ms; 2 and 4 MiB left the main thread more of its faults, 16 and
/// 32 MiB cost memory for no more speed (docs/performance.md).
pub const PAD: usize = 8 << 20;

/// How often the thread looks at the break.
pub const POLL: Duration = Duration::from_millis(1);

/// The thread that faults in the main heap's growth, while this lives. It
/// is told to stop when dropped, and stops at its next look at the break;
/// nothing waits for it.
pub struct Ahead {
    stop: Arc<AtomicBool>,
    populated: Arc<AtomicUsize>,
    large: Arc<AtomicBool>,
}

impl Ahead {
    /// Starts the thread; `None` where there is no program break to watch
    /// or no thread could start.
    pub fn start() -> Option<Ahead> {
        let base = heap::program_break()?;
        let stop = Arc::new(AtomicBool::new(false));
        let populated = Arc::new(AtomicUsize::new(0));
        let large = Arc::new(AtomicBool::new(false));
        let (thread_stop, thread_populated, thread_large) =
            (stop.clone(), populated.clone(), large.clone());
        std::thread::Builder::new()
            .name("prefectc-pages".into())
            // Its own work is a loop of three system calls.
            .stack_size(64 << 10)
            .spawn(move || watch(base, &thread_stop, &thread_populated, &thread_large))
            .ok()?;
        Some(Ahead {
            stop,
            populated,
            large,
        })
    }

    /// [`Ahead::start`], for the build of `root`: [`Ahead::expect_large`]
    /// when the file is [`LARGE_INPUT`] or more.
    pub fn start_for(root: &std::path::Path) -> Option<Ahead> {
        let ahead = Ahead::start()?;
        if std::fs::metadata(root).is_ok_and(|m| m.len() >= LARGE_INPUT as u64) {
            ahead.expect_large();
        }
        Some(ahead)
    }

    /// The build is known to be large before its heap is (its root file
    /// alone is [`LARGE_INPUT`] or more): the heap is padded and faulted
    /// in from its next growth, rather than after it has grown by
    /// [`LARGE_HEAP`], whose pages the main thread would otherwise fault
    /// in itself (about 8,000 faults).
    pub fn expect_large(&self) {
        self.large.store(true, Ordering::Relaxed);
    }

    /// The end of the heap the thread last faulted in (0 before it has):
    /// the pages of that growth are there, unless glibc has given them
    /// back since.
    pub fn populated(&self) -> usize {
        self.populated.load(Ordering::Acquire)
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Turns off glibc's fast bins, for a build the process ends after.
///
/// glibc keeps a freed chunk of up to 128 bytes, once the thread's cache
/// holds seven of its size, in a fast bin, unmerged; the next request of
/// 1 KiB or more then merges every such chunk with its free neighbours
/// (`malloc_consolidate`), wherever they are in the heap. A large build
/// frees millions of small chunks (the syntax trees, after check) and then
/// lowers, asking for larger buffers all along: at 100,000 workers,
/// `malloc_consolidate` and `unlink_chunk` were 18 % of the main thread's
/// samples while it lowered (docs/performance.md, "glibc's fast bins
/// off"). Without fast bins a chunk is merged when freed, and a small
/// build's instructions do not grow. Only the command line calls it; the
/// language server keeps glibc's defaults. Elsewhere it does nothing.
pub fn no_fast_bins() {
    heap::no_fast_bins();
}

/// The current end of the main heap (the program break), where there is
/// one to watch.
pub fn program_break() -> Option<usize> {
    heap::program_break()
}

/// Waits for the heap to grow by [`LARGE_HEAP`] from `base` (or to be
/// told the build is `large`), then pads it and faults in each growth,
/// until told to stop or the kernel refuses the advice.
fn watch(base: usize, stop: &AtomicBool, populated: &AtomicUsize, large: &AtomicBool) {
    let mut done = loop {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(POLL);
        match heap::program_break() {
            Some(end)
                if large.load(Ordering::Relaxed) || end.saturating_sub(base) >= LARGE_HEAP =>
            {
                break end;
            }
            Some(_) => {}
            None => return,
        }
    };
    heap::pad(PAD);
    while !stop.load(Ordering::Relaxed) {
        let Some(end) = heap::program_break() else {
            return;
        };
        if end > done {
            match heap::populate(done..end) {
                Populated::Yes => populated.store(end, Ordering::Release),
                // The heap shrank meanwhile: the next growth is faulted in.
                Populated::NotMapped => {}
                Populated::Unsupported => return,
            }
        }
        // Below `done` after glibc gives memory back: what grows again is
        // faulted in again.
        done = end;
        std::thread::sleep(POLL);
    }
}

/// What faulting in a growth of the heap came to.
enum Populated {
    Yes,
    /// The range is no longer mapped (the heap shrank meanwhile).
    NotMapped,
    /// The kernel (before 5.14) or the system does not know the advice.
    Unsupported,
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod heap {
    use super::Populated;
    use std::ops::Range;

    /// The program break: `brk(0)` asks the kernel and changes nothing
    /// (glibc's `sbrk(0)` would read its own copy, which the main thread's
    /// malloc writes).
    pub fn program_break() -> Option<usize> {
        // SAFETY: brk with 0, below the heap's start, is refused by the
        // kernel, which returns the current break and changes nothing.
        let end = unsafe { libc::syscall(libc::SYS_brk, 0usize) };
        usize::try_from(end).ok().filter(|&end| end != 0)
    }

    /// glibc grows (and trims) the main heap `bytes` beyond what it needs.
    pub fn pad(bytes: usize) {
        let bytes = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt takes the arena's lock; any thread may call it at
        // any time. Its result (0 on a refused value) needs no action: the
        // heap then grows as before.
        unsafe { libc::mallopt(libc::M_TOP_PAD, bytes) };
    }

    /// glibc keeps no fast bins: a freed chunk is merged with its free
    /// neighbours when it is freed (past the thread's cache).
    pub fn no_fast_bins() {
        // SAFETY: as `pad`: mallopt takes the arena's lock. It merges the
        // chunks the fast bins hold before it returns; a refusal leaves
        // them as they were.
        unsafe { libc::mallopt(libc::M_MXFAST, 0) };
    }

    /// Faults in the pages of `range` for writing, without writing them.
    pub(super) fn populate(range: Range<usize>) -> Populated {
        // SAFETY: sysconf reads a constant of the system.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
        let start = range.start & !(page - 1);
        // SAFETY: MADV_POPULATE_WRITE only faults pages in; it writes no
        // byte, so it cannot change what any thread reads there, and a page
        // already present is left as it is. A range no longer mapped (the
        // heap trimmed meanwhile) is refused with ENOMEM.
        let result = unsafe {
            libc::madvise(
                start as *mut libc::c_void,
                range.end - start,
                libc::MADV_POPULATE_WRITE,
            )
        };
        if result == 0 {
            return Populated::Yes;
        }
        match std::io::Error::last_os_error().raw_os_error() {
            // Kernels before 5.14 do not know the advice.
            Some(libc::EINVAL) => Populated::Unsupported,
            _ => Populated::NotMapped,
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod heap {
    use super::Populated;
    use std::ops::Range;

    pub fn program_break() -> Option<usize> {
        None
    }

    pub fn pad(_: usize) {}

    pub fn no_fast_bins() {}

    pub(super) fn populate(_: Range<usize>) -> Populated {
        Populated::Unsupported
    }
}
