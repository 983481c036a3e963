//! What the language server does on `didChange`: the edited text is parsed,
//! analysed (resolve, check, lower, policy) and its diagnostics converted to
//! the protocol's, for a generated site of about 2,000 lines: in one file,
//! and in 106 files with the keystroke in one of them; what the last
//! analysis made is kept, as the server keeps it.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use prefectc::Kept;
use prefectc::lsp::{Analysis, Documents, path_to_uri};

const HEADER: &str = "site bench {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n\n\
    server prefect {\n  database = postgres { url = secret(\"db\", \"url\") }\n}\n";

/// A team's pool and worker.
fn team(t: usize) -> String {
    format!(
        r#"
/// The jobs of team {t}.
pool pool-{t} {{
  type        = kubernetes
  concurrency = 10
}}

/// The worker of team {t}.
worker team-{t} {{
  pool     = pool-{t}
  api      = prefect
  replicas = 1
  queues   = ["default", "high"]
  env      = {{ "TEAM" = "team-{t}", "STAGE" = "prod" }}
  resources {{
    requests {{ cpu = 100m, memory = 256Mi }}
    limits   {{ cpu = 1, memory = 1Gi }}
  }}
  pod-labels = {{ team = "team-{t}" }}
}}
"#
    )
}

/// A valid site in one file: a server, and a pool and a worker per team.
fn site(teams: usize) -> String {
    let mut s = String::from(HEADER);
    for t in 0..teams {
        s.push_str(&team(t));
    }
    s
}

/// One keystroke: `replicas = 1` of the last worker becomes `replicas = 12`.
fn keystroke(text: &str) -> String {
    let at = text.rfind("replicas = 1").expect("a worker") + "replicas = 1".len();
    format!("{}2{}", &text[..at], &text[at..])
}

/// Opens `text` at `path` in `documents`.
fn open(documents: &mut Documents, path: &Path, text: &str) {
    let uri = path_to_uri(path).expect("a URI");
    documents.open(path.to_path_buf(), uri, text.to_string());
}

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
    let text = site(105);
    let lines = text.lines().count();
    assert!((1900..2200).contains(&lines), "{lines} lines");
    let root = PathBuf::from("/prefectc-bench/site.pfk");
    let mut documents = Documents::default();
    open(&mut documents, &root, &text);
    let name = format!("lsp re-check after a keystroke ({lines}-line site)");
    bench_edit(c, &name, &mut documents, &root, &root);

    // The same site in 106 files: the root imports one file per team, and
    // the keystroke is in the last team's; the others are not parsed again.
    let mut documents = Documents::default();
    let mut root_text = String::new();
    for t in 0..105 {
        let path = PathBuf::from(format!("/prefectc-bench/teams/team-{t}.pfk"));
        open(&mut documents, &path, &team(t));
        root_text.push_str(&format!("import \"teams/team-{t}.pfk\"\n"));
    }
    root_text.push_str(HEADER);
    open(&mut documents, &root, &root_text);
    let last = PathBuf::from("/prefectc-bench/teams/team-104.pfk");
    let name = format!("lsp re-check after a keystroke in one of 106 files ({lines} lines)");
    bench_edit(c, &name, &mut documents, &root, &last);
}

criterion_group!(benches, recheck);
criterion_main!(benches);
