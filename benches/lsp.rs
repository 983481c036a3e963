//! What the language server does on `didChange`: the edited text is parsed,
//! analysed (resolve, check, lower, policy) and its diagnostics converted to
//! the protocol's, for a generated site of about 2,000 lines.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use prefectc::lsp::{Analysis, Documents, path_to_uri};

/// A valid site: a server, and a pool and a worker per team.
fn site(teams: usize) -> String {
    let mut s = String::from(
        "site bench {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n\n\
         server prefect {\n  database = postgres { url = secret(\"db\", \"url\") }\n}\n",
    );
    for t in 0..teams {
        s.push_str(&format!(
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
        ));
    }
    s
}

fn recheck(c: &mut Criterion) {
    let text = site(105);
    let lines = text.lines().count();
    assert!((1900..2200).contains(&lines), "{lines} lines");
    let root = PathBuf::from("/prefectc-bench/site.pfk");
    let uri = path_to_uri(&root).expect("a URI");
    let mut documents = Documents::default();
    documents.open(root.clone(), uri, text.clone());
    let first = Analysis::run(&root, &documents);
    assert!(
        !first.output.has_errors(),
        "the generated site is valid: {:?}",
        first.output.diagnostics.first()
    );
    // One keystroke: `replicas = 1` of the last worker becomes `replicas = 12`
    // and back, alternately, so every iteration analyses a changed text.
    let at = text.rfind("replicas = 1").expect("a worker") + "replicas = 1".len();
    let edited = format!("{}2{}", &text[..at], &text[at..]);
    let mut flip = false;
    c.bench_function(
        &format!("lsp re-check after a keystroke ({lines}-line site)"),
        |b| {
            b.iter(|| {
                flip = !flip;
                let now = if flip { &edited } else { &text };
                documents.change(Path::new(&root), now.clone());
                let analysis = Analysis::run(&root, &documents);
                let diagnostics = analysis.diagnostics(&documents);
                std::hint::black_box(diagnostics.len())
            })
        },
    );
}

criterion_group!(benches, recheck);
criterion_main!(benches);
