//! No input panics: every prefix of every example and fixture, cut at each
//! character boundary, ends in objects or diagnostics, and every prefix
//! that builds is drawn by `prefectc graph`.

use std::path::{Path, PathBuf};

use prefectc::{MemoryLoader, Options, build};

fn pfk_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            pfk_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "pfk") {
            out.push(p);
        }
    }
}

#[test]
fn every_prefix_of_every_input_is_handled() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    pfk_files(&root.join("examples"), &mut files);
    pfk_files(&root.join("tests/fixtures"), &mut files);
    files.sort();
    assert!(!files.is_empty());
    let mut runs = 0;
    let mut graphs = 0;
    for f in &files {
        let bytes = std::fs::read(f).expect("readable");
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            // Not UTF-8 on purpose (E0105): every byte prefix, as read.
            Err(e) => {
                let bytes = e.into_bytes();
                for i in 0..=bytes.len() {
                    let loader = MemoryLoader(Vec::new());
                    let out = prefectc::build_bytes(
                        "prefix.pfk",
                        bytes[..i].to_vec(),
                        &loader,
                        &Options::default(),
                    );
                    assert!(out.objects.is_some() || !out.diagnostics.is_empty());
                    runs += 1;
                }
                continue;
            }
        };
        // Imports resolve against the file's own directory.
        let dir = f.parent().expect("a parent");
        let siblings: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("readable dir")
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "pfk"))
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read_to_string(e.path()).unwrap_or_default(),
                )
            })
            .collect();
        let loader = MemoryLoader(siblings);
        for (i, _) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let prefix = text[..i].to_string();
            let out = build("prefix.pfk", prefix, &loader, &Options::default());
            assert!(
                out.objects.is_some() || !out.diagnostics.is_empty(),
                "{} cut at {i}: neither objects nor diagnostics",
                f.display()
            );
            // What builds, `prefectc graph` draws.
            if let (Some(site), Some(objects)) = (&out.site, &out.objects)
                && !out.has_errors()
            {
                let graph = prefectc::graph::graph(site, objects);
                assert!(!graph.dot().is_empty() && !graph.mermaid().is_empty());
                graphs += 1;
            }
            runs += 1;
        }
    }
    assert!(runs > 1000);
    assert!(graphs > 100, "{graphs} prefixes drawn");
}
