//! Keystrokes for an instruction count: the language server's work after
//! each of EDITS keystrokes in the bench site of TEAMS teams (about 20 lines
//! a team), in one file or in one of many (`benches/support/lsp_site.rs`);
//! in the last worker, or with a fourth argument `first` in the first
//! worker, which moves every later declaration of its file.
//! Not a criterion bench: run it under callgrind, with and without edits,
//! and divide the difference by EDITS (docs/performance.md):
//!
//! ```sh
//! exe=$(cargo bench --bench keystrokes --no-run 2>&1 | grep -o 'target/release/deps/keystrokes-[0-9a-f]*')
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null $exe 105 one 10
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null $exe 105 one 0
//! ```

use prefectc::Kept;
use prefectc::lsp::{Analysis, Documents};

#[path = "support/lsp_site.rs"]
mod lsp_site;

fn main() {
    // `cargo bench` passes `--bench`; the numbers are the arguments.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let teams: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(105);
    let many = args.get(1).is_some_and(|a| a == "many");
    let edits: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10);
    let first = args.get(3).is_some_and(|a| a == "first");

    let mut documents = Documents::default();
    let edited = if many {
        lsp_site::open_many_files(&mut documents, teams)
    } else {
        lsp_site::open_one_file(&mut documents, teams)
    };
    let root = lsp_site::root();
    let kept = Kept::default();
    let analyse = |documents: &Documents| {
        let analysis = Analysis::run_unless(&root, documents, Some(&kept), &|| false)
            .unwrap_or_else(|_| unreachable!("never given up"));
        let diagnostics = analysis.diagnostics(documents);
        (analysis.output.has_errors(), diagnostics.len())
    };
    let (errors, _) = analyse(&documents);
    assert!(!errors, "the bench site is valid");
    let text = documents.get(&edited).expect("open").text.clone();
    let changed = if first {
        lsp_site::keystroke_first(&text)
    } else {
        lsp_site::keystroke(&text)
    };
    for edit in 0..edits {
        let now = if edit % 2 == 0 { &changed } else { &text };
        documents.change(&edited, now.clone());
        std::hint::black_box(analyse(&documents));
    }
    let lines: usize = documents
        .paths()
        .filter_map(|p| documents.get(p))
        .map(|d| d.text.lines().count())
        .sum();
    eprintln!(
        "{teams} teams, {lines} lines in {} file(s), {edits} keystrokes",
        documents.paths().count()
    );
}
