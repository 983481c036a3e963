//! Every bundled example builds, and its YAML is pinned by a snapshot.

use std::path::{Path, PathBuf};

use prefectc::source::FsLoader;
use prefectc::{Options, build};

/// The example files: `examples/*.pfk` and `examples/*/site.pfk`.
fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("examples/ exists") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            out.push(path.join("site.pfk"));
        } else if path.extension().is_some_and(|e| e == "pfk") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn build_file(path: &Path, options: &Options) -> prefectc::Output {
    let text = std::fs::read_to_string(path).expect("example is readable");
    let root = path.parent().expect("a file has a parent").to_path_buf();
    let name = path
        .file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    build(&name, text, &FsLoader { root }, options)
}

fn snapshot_name(path: &Path) -> String {
    let rel = path
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
        .expect("inside examples/");
    rel.with_extension("").to_string_lossy().replace('/', "__")
}

#[test]
fn every_example_builds_and_matches_its_snapshot() {
    let all = examples();
    assert!(all.len() >= 5, "the examples are found");
    for path in all {
        let out = build_file(&path, &Options::default());
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(
            errors.is_empty(),
            "{} has errors: {errors:?}",
            path.display()
        );
        let yaml = prefectc::emit::yaml(
            out.objects
                .as_deref()
                .expect("objects when there is no error"),
        );
        insta::with_settings!({ snapshot_path => "snapshots/examples", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(snapshot_name(&path), yaml);
        });
    }
}

#[test]
fn params_change_the_output() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/production.pfk");
    let mut options = Options::default();
    options.params.insert("env".into(), "prod".into());
    let out = build_file(&path, &options);
    let yaml = prefectc::emit::yaml(out.objects.as_deref().expect("builds"));
    assert!(yaml.contains("host: prefect.prod.example.com"));
    assert!(yaml.contains("minReplicas: 3"));
    let staging = build_file(&path, &Options::default());
    let yaml = prefectc::emit::yaml(staging.objects.as_deref().expect("builds"));
    assert!(yaml.contains("minReplicas: 2"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for path in examples() {
        // Two failed builds would both be empty: each must build.
        let yaml = || {
            let out = build_file(&path, &Options::default());
            let objects = out.objects.as_deref();
            prefectc::emit::yaml(objects.unwrap_or_else(|| panic!("{} builds", path.display())))
        };
        let (a, b) = (yaml(), yaml());
        assert!(!a.is_empty(), "{} emits objects", path.display());
        assert_eq!(a, b, "{}", path.display());
    }
}

/// `without_trees` (what `prefectc build` sets) drops the syntax trees
/// once the site is checked, and changes nothing else: the same objects and
/// diagnostics, and an empty resolved tree; without it the tree is there.
#[test]
fn a_build_without_trees_is_the_same_build() {
    for path in examples() {
        let with = build_file(&path, &Options::default());
        let lean = Options {
            without_trees: true,
            ..Options::default()
        };
        let without = build_file(&path, &lean);
        let yaml = |o: &prefectc::Output| o.objects.as_deref().map(prefectc::emit::yaml);
        assert!(yaml(&with).is_some(), "{} builds", path.display());
        assert_eq!(yaml(&with), yaml(&without), "{}", path.display());
        assert_eq!(
            format!("{:?}", with.diagnostics),
            format!("{:?}", without.diagnostics)
        );
        assert!(!with.resolved.files.is_empty() && !with.resolved.components.is_empty());
        assert!(without.resolved.files.is_empty() && without.resolved.components.is_empty());
    }
}

#[test]
fn the_standard_library_is_clean_and_documented() {
    let std = prefectc::stdlib();
    assert!(std.diagnostics.is_empty(), "{:?}", std.diagnostics);
    let mut required = Vec::new();
    for schema in std.types.schemas.values() {
        assert!(
            schema.doc.is_some(),
            "schema {} has no doc comment",
            schema.name
        );
        for f in schema.fields.values() {
            assert!(
                f.doc.is_some(),
                "{}.{} has no doc comment",
                schema.name,
                f.name
            );
            if f.default.is_none() && !f.ty.is_optional() {
                required.push(format!("{}.{}", schema.name, f.name));
            }
        }
    }
    for e in std.types.enums.values() {
        for (v, doc) in &e.variants {
            assert!(doc.is_some(), "{}::{v} has no doc comment", e.name);
        }
    }
    // The fields a user must write (no default, not optional): a new one is a
    // deliberate change to the language, listed here on purpose.
    required.sort();
    assert_eq!(
        required, REQUIRED_FIELDS,
        "fields without a default or an optional type"
    );
}

const REQUIRED_FIELDS: &[&str] = &[
    "Agent.api",
    "Alert.expr",
    "Alert.name",
    "Autoscaling.max",
    "BasicAuth.credentials",
    "Cloud.account",
    "Cloud.key",
    "Cloud.workspace",
    "ConfigMapVolume.name",
    "Container.image",
    "Container.name",
    "ContainerPort.port",
    "CustomerCloud.account",
    "CustomerCloud.api-url",
    "CustomerCloud.key",
    "CustomerCloud.workspace",
    "Exporter.api",
    "GatewayParameters.group",
    "GatewayParameters.kind",
    "GatewayParameters.name",
    "GatewayParent.name",
    "HostPathVolume.path",
    "InClusterPostgres.password",
    "InClusterRedis.password",
    "Ingress.host",
    "IngressHost.host",
    "IngressPath.path",
    "IngressTls.hosts",
    "IngressTls.secret",
    "Listener.name",
    "Listener.port",
    "Listener.protocol",
    "NfsVolume.path",
    "NfsVolume.server",
    "NodeExpression.key",
    "NodeExpression.operator",
    "NodeTerm.match",
    "PolicyRule.resources",
    "PolicyRule.verbs",
    "Pool.type",
    "PvcVolume.claim",
    "Redis.host",
    "SecretVolume.name",
    "SelfHosted.url",
    "Server.database",
    "ServicePort.name",
    "ServicePort.port",
    "Site.namespace",
    "Site.prefect",
    "VolumeMount.path",
    "VolumeMount.volume",
    "WeightedNodeTerm.match",
    "Worker.api",
    "Worker.pool",
];
