//! What the language server does on `didChange`: the edited text is parsed,
//! analysed (resolve, check, lower, policy) and its diagnostics converted to
//! the protocol's, for a generated site of about 2,000 lines: in one file,
//! and in 106 files with the keystroke in one of them; what the last
//! analysis made is kept, as the server keeps it.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use prefectc::Kept;
use prefectc::lsp::{Analysis, Documents};

#[path = "support/lsp_site.rs"]
mod lsp_site;

use lsp_site::{keystroke, open_many_files, open_one_file, root};

/// Re-analyses `root` as the server does after `edited` changes, each
/// iteration alternating between its text and `keystroke`'s.
fn bench_edit(
    c: &mut Criterion,
    name: &str,
    documents: &mut Documents,
    root: &Path,
    edited: &Path,
) {
    let kept = Kept::default();
    let first = Analysis::run_unless(root, documents, Some(&kept), &|| false)
        .unwrap_or_else(|_| unreachable!("never given up"));
    assert!(
        !first.output.has_errors(),
        "the generated site is valid: {:?}",
        first.output.diagnostics.first()
    );
    let text = documents.get(edited).expect("open").text.clone();
    let changed = keystroke(&text);
    let mut flip = false;
    c.bench_function(name, |b| {
        b.iter(|| {
            flip = !flip;
            let now = if flip { &changed } else { &text };
            documents.change(edited, now.clone());
            let analysis = Analysis::run_unless(root, documents, Some(&kept), &|| false)
                .unwrap_or_else(|_| unreachable!("never given up"));
            let diagnostics = analysis.diagnostics(documents);
            std::hint::black_box(diagnostics.len())
        })
    });
}

fn recheck(c: &mut Criterion) {
    let mut documents = Documents::default();
    let edited = open_one_file(&mut documents, 105);
    let lines = documents.get(&edited).expect("open").text.lines().count();
    assert!((1900..2200).contains(&lines), "{lines} lines");
    let name = format!("lsp re-check after a keystroke ({lines}-line site)");
    bench_edit(c, &name, &mut documents, &root(), &edited);

    // The same site in 106 files: the root imports one file per team, and
    // the keystroke is in the last team's; the others are not parsed again.
    let mut documents = Documents::default();
    let edited = open_many_files(&mut documents, 105);
    let name = format!("lsp re-check after a keystroke in one of 106 files ({lines} lines)");
    bench_edit(c, &name, &mut documents, &root(), &edited);
}

criterion_group!(benches, recheck);
criterion_main!(benches);
