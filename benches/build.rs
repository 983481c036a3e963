//! In-process benchmarks of the compiler's stages on the production-like
//! example and a generated site of 100 teams (`docs/performance.md`):
//!
//! - `build`: parse, resolve, check, lower, policy, and the YAML of the objects;
//! - `check`: parse, resolve and check only (the type errors an editor shows);
//! - `fmt`: `prefectc fmt` of the file, its self-check included.
//!
//! The standard library is read once per process (`prefectc::stdlib()`), so
//! it is not part of a measured iteration.

use criterion::{Criterion, criterion_group, criterion_main};
use prefectc::resolve::ParamValues;
use prefectc::source::SourceMap;
use prefectc::{MemoryLoader, Options, build, check, emit, format, resolve, stdlib};

const PRODUCTION: &str = include_str!("../examples/production.pfk");

/// A site of a server and `teams` teams, a pool and a worker each.
fn teams(teams: usize) -> String {
    let mut s = String::from(
        "site bench {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n\n\
         server prefect {\n  database = postgres { url = secret(\"db\", \"url\") }\n}\n",
    );
    for t in 0..teams {
        s.push_str(&format!(
            "\n/// The jobs of team {t}.\npool pool-{t} {{\n  type        = kubernetes\n  concurrency = 10\n}}\n\n\
             worker team-{t} {{\n  pool     = pool-{t}\n  api      = prefect\n  queues   = [\"default\", \"high\"]\n}}\n"
        ));
    }
    s
}

fn benches(c: &mut Criterion) {
    let loader = MemoryLoader(Vec::new());
    let options = Options::default();
    let std = stdlib();
    let sites = [
        ("examples/production.pfk", PRODUCTION.to_string()),
        ("100 teams", teams(100)),
    ];
    for (name, text) in &sites {
        let first = build("site.pfk", text.clone(), &loader, &options);
        assert!(
            !first.has_errors(),
            "{name} builds: {:?}",
            first.diagnostics.first()
        );
        c.bench_function(&format!("build {name}"), |b| {
            b.iter(|| {
                let out = build("site.pfk", text.clone(), &loader, &options);
                let yaml = emit::yaml(out.objects.as_deref().expect("the site builds"));
                std::hint::black_box(yaml.len())
            })
        });
        c.bench_function(&format!("check {name}"), |b| {
            b.iter(|| {
                let mut sources = SourceMap::default();
                let root = sources.add("site.pfk".to_string(), text.clone());
                for (file, std_text) in prefectc::STDLIB {
                    sources.add(file.to_string(), std_text.to_string());
                }
                let params = ParamValues::default();
                let (resolved, _) = resolve::resolve(
                    &mut sources,
                    root,
                    &std.kinds,
                    &loader,
                    &params,
                    Default::default(),
                    None,
                );
                let (site, diagnostics) = check::check(&resolved, &std.types, None, None);
                std::hint::black_box((site.is_some(), diagnostics.0.len()))
            })
        });
        c.bench_function(&format!("fmt {name}"), |b| {
            b.iter(|| std::hint::black_box(format(text).map(|t| t.len())))
        });
    }
}

criterion_group!(build_benches, benches);
criterion_main!(build_benches);
