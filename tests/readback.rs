//! The YAML prefectc writes reads back as the strings it was given, in YAML
//! 1.2 (serde_yaml) and in YAML 1.1 (Kubernetes' reader): every string that
//! a YAML 1.1 or 1.2 reader would take for a number, a boolean, a null, a
//! timestamp or a merge key is quoted, and a quoted scalar is a string in
//! every version. `tests/external/readback.py` reads the examples' builds
//! with PyYAML as well.

use prefectc::{MemoryLoader, Options};

/// Plain scalars that are not strings in YAML 1.1 (or 1.2).
const TRICKY: &[&str] = &[
    "1_000",
    "0x1F",
    "1_000.5",
    "0o17",
    "0b101",
    "+1",
    ".5",
    "1e3",
    "1:20",
    "12:30",
    ".inf",
    "~",
    "null",
    "2001-12-14",
    "=",
    "<<",
    "on",
    "Off",
    "y",
    "N",
    "yes",
    "007",
    "1.5",
    "-1",
];

/// The tricky strings that are valid label values (alphanumeric at both
/// ends, at most 63 characters).
fn label_values() -> Vec<&'static str> {
    TRICKY
        .iter()
        .copied()
        .filter(|s| {
            let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            edge(s.chars().next()) && edge(s.chars().next_back()) && !s.contains(':')
        })
        .collect()
}

fn site() -> String {
    let env: Vec<String> = TRICKY
        .iter()
        .enumerate()
        .map(|(i, s)| format!("\"V{i}\" = \"{s}\""))
        .collect();
    let args: Vec<String> = TRICKY.iter().map(|s| format!("\"{s}\"")).collect();
    let annotations: Vec<String> = TRICKY
        .iter()
        .enumerate()
        .map(|(i, s)| format!("\"a{i}\" = \"{s}\""))
        .collect();
    let labels: Vec<String> = label_values()
        .iter()
        .enumerate()
        .map(|(i, s)| format!("\"l{i}\" = \"{s}\""))
        .collect();
    format!(
        r#"site demo {{
  namespace = "prefect"
  prefect   = "3.4.25"
}}

server prefect {{ database = sqlite {{}} }}
pool scripts {{ type = process }}

worker w {{
  pool            = scripts
  api             = prefect
  env             = {{ {} }}
  extra-args      = [{}]
  pod-annotations = {{ {} }}
  pod-labels      = {{ {} }}
}}
"#,
        env.join(", "),
        args.join(", "),
        annotations.join(", "),
        labels.join(", ")
    )
}

#[test]
fn tricky_strings_read_back_as_strings() {
    let out = prefectc::build(
        "site.pfk",
        site(),
        &MemoryLoader(Vec::new()),
        &Options::default(),
    );
    let objects = out.objects.as_deref().unwrap_or_else(|| {
        panic!(
            "builds: {:?}",
            out.diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        )
    });
    let yaml = prefectc::emit::yaml(objects);
    let docs: Vec<serde_yaml::Value> = serde_yaml::Deserializer::from_str(&yaml)
        .map(|d| serde::Deserialize::deserialize(d).expect("valid YAML"))
        .collect();
    let worker = docs
        .iter()
        .find(|d| d["kind"] == "Deployment" && d["metadata"]["name"] == "w")
        .expect("the worker's Deployment");
    let pod = &worker["spec"]["template"];
    let container = &pod["spec"]["containers"][0];
    for (i, s) in TRICKY.iter().enumerate() {
        let env = container["env"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|e| e["name"] == format!("V{i}").as_str())
            .unwrap();
        assert_eq!(env["value"].as_str(), Some(*s), "env value {s:?}");
        assert!(
            container["args"]
                .as_sequence()
                .unwrap()
                .iter()
                .any(|a| a.as_str() == Some(s)),
            "arg {s:?}"
        );
        assert_eq!(
            pod["metadata"]["annotations"][format!("a{i}").as_str()].as_str(),
            Some(*s),
            "annotation {s:?}"
        );
        // For YAML 1.1: written quoted, never plain.
        for quoted in [
            format!("value: '{s}'"),
            format!("- '{s}'"),
            format!("a{i}: '{s}'"),
        ] {
            assert!(yaml.contains(&quoted), "{quoted:?} not in the output");
        }
    }
    let labels = label_values();
    assert!(labels.len() >= 10, "{labels:?}");
    for (i, s) in labels.iter().enumerate() {
        let key = format!("l{i}");
        assert_eq!(
            pod["metadata"]["labels"][key.as_str()].as_str(),
            Some(*s),
            "label {s:?}"
        );
        assert!(
            yaml.contains(&format!("{key}: '{s}'")),
            "label {s:?} is not quoted"
        );
    }
}
