//! Work a large build does on every core: screening the objects for
//! credentials, judging them by the policy rules that read each object
//! alone, and writing their YAML are each cut into parts done at once,
//! one per core (docs/performance.md, "Both cores for a large site's
//! objects"). A small build stays on one thread: a thread, its start and
//! its malloc arena cost more than they save below some size, and each
//! stage says what that size is. Whatever the parts, the output is the same
//! bytes: each stage puts the parts' results together in order, and what
//! one part keeps for its next item (a memo) only saves work.

/// The most parts, and threads, one stage's work is cut into.
const MAX_PARTS: usize = 4;

/// A site of at least this many objects (about 3,000 workers) is screened
/// and written on every core. Below, a second thread and its malloc arena
/// saved no time that could be measured and cost memory (1,000 and 2,000
/// workers: 5 and 6 MiB more); at 3,000 workers 4 % of the time, at 10,000
/// about 14 % (docs/performance.md, "Both cores for a large site's
/// objects").
const LARGE_FROM_OBJECTS: usize = 24_000;

/// How many parts the work on `objects` objects is cut into: one for a
/// site below [`LARGE_FROM_OBJECTS`], else one per core.
pub fn parts(objects: usize) -> usize {
    #[cfg(test)]
    if let Some(parts) = PARTS.get() {
        return parts;
    }
    if objects < LARGE_FROM_OBJECTS {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_PARTS))
}

/// A site of at least this many components (about 24,000 objects, as
/// [`LARGE_FROM_OBJECTS`]) has its objects screened for credentials on
/// another core while they are lowered (docs/performance.md, stop 57).
const LARGE_FROM_COMPONENTS: usize = 3_000;

/// Whether a site of `components` components is screened beside its
/// lowering: a large one (or, in a test, whenever [`PARTS`] asks for more
/// than one part). On one core the two threads take turns, as the stages
/// would.
pub fn screen_beside(components: usize) -> bool {
    #[cfg(test)]
    if let Some(parts) = PARTS.get() {
        return parts > 1;
    }
    components >= LARGE_FROM_COMPONENTS
}

#[cfg(test)]
thread_local! {
    /// The parts every stage of a build on this thread cuts its work
    /// into, whatever its size.
    pub(crate) static PARTS: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// `run` of each part, at once, each on a thread of its own but the first,
/// which runs on this one; the results in the parts' order. A part whose
/// thread cannot start is run on this thread; a part that panics panics
/// here.
pub fn at_once<P: Sync, R: Send>(parts: &[P], run: impl Fn(&P) -> R + Sync) -> Vec<R> {
    let Some((first, rest)) = parts.split_first() else {
        return Vec::new();
    };
    let run = &run;
    std::thread::scope(|scope| {
        let others: Vec<_> = rest
            .iter()
            .map(|part| {
                let thread = std::thread::Builder::new()
                    .name("prefectc-part".into())
                    .spawn_scoped(scope, move || run(part));
                (part, thread)
            })
            .collect();
        let mut results = Vec::with_capacity(parts.len());
        results.push(run(first));
        for (part, thread) in others {
            results.push(match thread.map(std::thread::ScopedJoinHandle::join) {
                Ok(Ok(result)) => result,
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(_) => run(part),
            });
        }
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The results come in the parts' order, each part run once, on
    /// threads of their own but the first.
    #[test]
    fn every_part_is_run_once_and_its_result_kept_in_order() {
        let main = std::thread::current().id();
        let parts: Vec<usize> = (0..4).collect();
        let results = at_once(&parts, |&p| (p * 10, std::thread::current().id()));
        let numbers: Vec<usize> = results.iter().map(|r| r.0).collect();
        assert_eq!(numbers, [0, 10, 20, 30]);
        assert_eq!(results[0].1, main);
        assert!(results[1..].iter().all(|r| r.1 != main));
        assert!(at_once(&[] as &[usize], |&p| p).is_empty());
    }

    /// A part that panics panics the caller.
    #[test]
    fn a_part_that_panics_panics_here() {
        let caught = std::panic::catch_unwind(|| {
            at_once(&[1, 2, 3], |&p| {
                assert!(p != 3, "part three");
                p
            })
        });
        assert!(caught.is_err());
    }

    /// Every site of the repository and the specification built in turn
    /// and with every stage's work cut into three parts done at once (its
    /// objects screened and written): the same diagnostics, the same
    /// waivers, the same bytes.
    #[test]
    fn a_build_at_once_is_the_build_in_turn() {
        let all = crate::test_sites::under(&[
            "examples",
            "tests/fixtures",
            "../shared/spec/examples",
            "../shared/spec/errors",
        ]);
        assert!(all.len() > 400, "the sites are where they were");
        let report = |path: &std::path::Path| {
            let out = crate::test_sites::build_at(path, crate::Options::default());
            let yaml = out.objects.as_deref().map(crate::emit::yaml);
            format!("{:#?}\n{:#?}\n{yaml:?}", out.diagnostics, out.waived)
        };
        let mut built = 0;
        for path in &all {
            let in_turn = report(path);
            PARTS.set(Some(3));
            let at_once = report(path);
            PARTS.set(None);
            assert!(
                in_turn == at_once,
                "{}: built at once, the site gives something else",
                path.display()
            );
            built += usize::from(in_turn.contains("Some(\"---"));
        }
        assert!(built > 120, "{built} sites built");
    }

    /// A large site is screened beside lowering, a smaller one not; a test
    /// may ask for either.
    #[test]
    fn a_large_site_is_screened_beside_lowering() {
        assert!(!screen_beside(LARGE_FROM_COMPONENTS - 1));
        assert!(screen_beside(LARGE_FROM_COMPONENTS));
        PARTS.set(Some(1));
        assert!(!screen_beside(LARGE_FROM_COMPONENTS));
        PARTS.set(Some(2));
        assert!(screen_beside(1));
        PARTS.set(None);
    }

    /// Below the size of a large site, one part; from it, one per core
    /// (at most four); a test may ask for more.
    #[test]
    fn a_small_site_is_one_part() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_PARTS));
        assert_eq!(parts(LARGE_FROM_OBJECTS - 1), 1);
        assert_eq!(parts(LARGE_FROM_OBJECTS), cores);
        PARTS.set(Some(3));
        assert_eq!(parts(1), 3);
        PARTS.set(None);
    }
}
