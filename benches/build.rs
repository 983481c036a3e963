//! check + lower + emit of the production-like example, in-process.

use criterion::{Criterion, criterion_group, criterion_main};
use prefectc::{MemoryLoader, Options, build, emit};

fn production(c: &mut Criterion) {
    let text = include_str!("../examples/production.pfk");
    let loader = MemoryLoader(Vec::new());
    let options = Options::default();
    c.bench_function("build examples/production.pfk", |b| {
        b.iter(|| {
            let out = build("production.pfk", text.to_string(), &loader, &options);
            let yaml = emit::yaml(out.objects.as_deref().expect("the example builds"));
            std::hint::black_box(yaml.len())
        })
    });
}

criterion_group!(benches, production);
criterion_main!(benches);
