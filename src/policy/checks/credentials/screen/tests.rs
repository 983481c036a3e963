//! Tests of the credential screen (`screen.rs`).

use super::super::kept::KeptScreen;
use super::super::walk::{AT_ONCE, Prescreened, leaves, screens_at_once};
use super::*;
use crate::lower::k8s::{ConfigMap, Object, ObjectMeta};

/// A ConfigMap holding `text` under `key`.
fn config_map(key: &str, text: &str) -> Object {
    Object {
        resource: std::sync::Arc::new(Resource::ConfigMap(ConfigMap {
            api_version: "v1",
            kind: "ConfigMap",
            metadata: ObjectMeta {
                name: "cm".into(),
                ..ObjectMeta::default()
            },
            data: [(key.to_string(), text.to_string().into())]
                .into_iter()
                .collect(),
        })),
        origin: Default::default(),
    }
}

/// Whether the screen leaves `o` to the walk, when the site may have
/// written every value.
fn screened(o: &Object) -> bool {
    may_flag(&o.resource, &mut Seen::default(), &mut Stacks::default()).may_flag(|_| true)
}

/// Whether the walk finds a string of `o` to flag, when the site may have
/// written every value.
fn walked_to_a_leaf(o: &Object) -> bool {
    !leaves(
        std::slice::from_ref(o),
        |_| false,
        None,
        |_| true,
        false,
        None,
    )
    .is_empty()
}

/// The stacks one object was screened with come back, kept, for the
/// next; what the next object's screen finds is what a fresh screen
/// finds, flagged or not, in either order.
#[test]
fn the_stacks_serve_the_next_object() {
    let objects = [
        config_map("password", "hunter2"),
        config_map(
            "template.json",
            r#"{"env": [{"name": "HOME", "value": "/h"}]}"#,
        ),
        config_map("k", r#"{"db_password": "hunter2"}"#),
        config_map("k", "plain"),
    ];
    let (mut seen, mut stacks) = (Seen::default(), Stacks::default());
    for o in objects.iter().chain(objects.iter().rev()) {
        let flagged = may_flag(&o.resource, &mut seen, &mut stacks);
        assert_eq!(flagged.may_flag(|_| true), screened(o));
        assert!(stacks.path.capacity() > 0, "the stacks came back");
    }
}

/// What the screen passes over without reading it word by word is
/// still found: escapes, pairs in any order, flags, defaults.
#[test]
fn credentials_inside_json_are_found() {
    for text in [
        // A name or a format written with escapes.
        r#"{"env": [{"name": "DB_\u0050ASSWORD", "value": "hunter2"}]}"#,
        r#"{"db_\u0070assword": "hunter2"}"#,
        r#"{"url": "postgresql:\/\/u:s3cret@db\/x"}"#,
        r#"{"k": "\u0070nu_0123456789abcdefghijklmnopqrstuvwxyz"}"#,
        r#"{"key": "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"}"#,
        // The value of an env var before its name.
        r#"{"env": [{"value": "hunter2", "name": "DB_PASSWORD"}]}"#,
        // `--flag=V` and `--flag V` in a job manifest's args.
        r#"{"containers": [{"args": ["run", "--password=hunter2"]}]}"#,
        r#"{"containers": [{"args": ["--api-key", "hunter2"]}]}"#,
        // A variable's default, named by the variable.
        r#"{"variables": {"properties": {"db_password": {"default": "hunter2"}}}}"#,
        // JSON inside JSON.
        r#"{"inner": "{\"password\": \"hunter2\"}"}"#,
    ] {
        let o = config_map("template.json", text);
        assert!(screened(&o), "{text}");
        assert!(walked_to_a_leaf(&o), "{text}");
    }
    // Every anchor in one text (one of them, `"private_key"`, only
    // as the quotes around a string): its strings are read for formats.
    let every = r#"{"a": "private_key", "b": "-----BEGIN pnb_ AKIA ASIA ghp_ gho_ ghu_ ghs_ ghr_ github_pat_ glpat- xoxa- xoxb- xoxp- xoxr- AccountKey= eyJ :// pnu_0123456789abcdefghijklmnopqrstuvwxyz"}"#;
    assert!(screened(&config_map("template.json", every)));
    // Not JSON after all: the string itself, under its key.
    let o = config_map("DB_PASSWORD", "{hunter2");
    assert!(screened(&o));
    assert!(walked_to_a_leaf(&o));
}

#[test]
fn clean_json_is_not_walked() {
    for text in [
        r#"{"automountServiceAccountToken": false, "secret_fields": []}"#,
        r#"{"description": "one line\nand another", "env": [{"name": "HOME", "value": "/home"}]}"#,
        r#"{"api_url": "http://prefect.prefect.svc:4200/api"}"#,
        r#"{"properties": {"name": {"default": "x"}}}"#,
    ] {
        assert!(!screened(&config_map("template.json", text)), "{text}");
    }
}

/// JSON after any white space, Unicode's as well, and only JSON.
#[test]
fn json_starts_after_white_space() {
    for yes in ["{}", "[1]", " {", "\t[", "\u{b}{", "\u{a0}{", "\u{3000}["] {
        assert!(json_like(yes), "{yes:?}");
    }
    for no in ["", " ", "x{", "é{", "- [", "\u{a0}x"] {
        assert!(!json_like(no), "{no:?}");
    }
}

/// The screen of any value (not only a lowered object's), when the site
/// may have written every value.
fn screen_of<T: Serialize>(v: &T) -> bool {
    verdict_of(v).may_flag(|_| true)
}

/// A map of one entry, `key: "v"`.
struct OneKey<K>(K);

impl<K: Serialize> Serialize for OneKey<K> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(std::iter::once((&self.0, "v")))
    }
}

/// Bytes, written as bytes (a `&[u8]` is written as a sequence).
struct Bytes;

impl Serialize for Bytes {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b"k")
    }
}

#[derive(serde::Serialize)]
struct Unit;

#[derive(serde::Serialize)]
struct Wrapped<T>(T);

#[derive(serde::Serialize)]
enum Shape {
    Word,
    Holds(&'static str),
}

/// Named by a credential's name, `data: {password: v}` (the keys of
/// `data` name their values).
#[derive(serde::Serialize)]
struct Data<T> {
    data: Password<T>,
}

#[derive(serde::Serialize)]
struct Password<T> {
    password: T,
}

fn named<T>(password: T) -> Data<T> {
    Data {
        data: Password { password },
    }
}

/// What the screen does not read is left to the walk (the object is
/// walked), never judged clean: no lowered object has such a shape
/// today, and a type that gains one must not hide its strings.
#[test]
fn a_shape_the_screen_does_not_read_is_walked() {
    // Map keys other than strings (serde_json writes numbers as string
    // keys; the screen does not follow it).
    assert!(screen_of(&OneKey(true)));
    assert!(screen_of(&OneKey(-1i8)));
    assert!(screen_of(&OneKey(-1i16)));
    assert!(screen_of(&OneKey(-1i32)));
    assert!(screen_of(&OneKey(-1i64)));
    assert!(screen_of(&OneKey(1u8)));
    assert!(screen_of(&OneKey(1u16)));
    assert!(screen_of(&OneKey(1u32)));
    assert!(screen_of(&OneKey(1u64)));
    assert!(screen_of(&OneKey(1.5f32)));
    assert!(screen_of(&OneKey(1.5f64)));
    assert!(screen_of(&OneKey('k')));
    assert!(screen_of(&OneKey(Bytes)));
    assert!(screen_of(&OneKey(None::<&str>)));
    assert!(screen_of(&OneKey(Some("k"))));
    assert!(screen_of(&OneKey(())));
    assert!(screen_of(&OneKey(Unit)));
    assert!(screen_of(&OneKey(Shape::Word)));
    assert!(screen_of(&OneKey(Shape::Holds("k"))));
    assert!(screen_of(&OneKey(Wrapped(7u8))));
    assert!(screen_of(&OneKey([1u8])));
    assert!(screen_of(&OneKey((1u8, 2u8))));
    // Values: bytes and enum variants holding a value.
    assert!(screen_of(&Wrapped(Bytes)));
    assert!(screen_of(&vec![Shape::Holds("hunter2")]));
    // A string key, read through a newtype, is read: a clean map is
    // clean (the control of the cases above).
    assert!(!screen_of(&OneKey(Wrapped("k"))));
    assert!(!screen_of(&OneKey("k")));
}

/// Shapes the screen reads as the walk's JSON has them: a char and a
/// unit variant as strings, a newtype as what it wraps, a tuple and a
/// tuple struct as arrays, a map's `{name, value}` pair as an env var.
#[test]
fn other_shapes_are_read_as_their_json() {
    assert!(screen_of(&named('x')));
    assert!(screen_of(&named(Shape::Word)));
    assert!(screen_of(&named(Wrapped("hunter2"))));
    #[derive(serde::Serialize)]
    struct Args<T> {
        args: T,
    }
    assert!(screen_of(&Args {
        args: ("--password", "hunter2")
    }));
    #[derive(serde::Serialize)]
    struct Pair(&'static str, &'static str);
    assert!(screen_of(&Args {
        args: Pair("--password", "hunter2")
    }));
    let env: crate::map::IndexMap<&str, &str> = [("name", "DB_PASSWORD"), ("value", "hunter2")]
        .into_iter()
        .collect();
    assert!(screen_of(&vec![env]));
    // Controls: the same shapes without a credential's name.
    assert!(!screen_of(&Args {
        args: ("--port", "80")
    }));
    let env: crate::map::IndexMap<&str, &str> =
        [("name", "PORT"), ("value", "80")].into_iter().collect();
    assert!(!screen_of(&vec![env]));
    assert!(!screen_of(&Wrapped(Shape::Word)));
    assert!(!screen_of(&Password { password: 'x' }));
}

/// A value the objects share, under `labels` (whose keys name their
/// values) or under `spec` (whose do not).
#[derive(serde::Serialize)]
struct Placed {
    /// Read before the shared value.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::lower::k8s::shared_some"
    )]
    labels: Option<std::sync::Arc<std::collections::BTreeMap<&'static str, &'static str>>>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::lower::k8s::shared_some"
    )]
    spec: Option<std::sync::Arc<std::collections::BTreeMap<&'static str, &'static str>>>,
}

/// A shared value is read once for each place it is met at: what the
/// screen says of it is what a fresh screen says there, whichever place
/// came first. `password: hunter2` is a credential under `labels`, not
/// under `spec`.
#[test]
fn a_shared_value_is_judged_at_each_place() {
    let value = std::sync::Arc::new(std::collections::BTreeMap::from([("password", "hunter2")]));
    let under = |labels: bool| Placed {
        note: None,
        labels: labels.then(|| std::sync::Arc::clone(&value)),
        spec: (!labels).then(|| std::sync::Arc::clone(&value)),
    };
    let (in_labels, in_spec) = (under(true), under(false));
    assert!(screen_of(&in_labels));
    assert!(!screen_of(&in_spec));
    for order in [
        [&in_spec, &in_labels, &in_spec],
        [&in_labels, &in_spec, &in_labels],
    ] {
        let mut seen = Seen::default();
        for placed in order {
            let mut screen = Screen::new(Step::ROOT, false, &mut seen, Stacks::default());
            let flagged = placed.serialize(&mut screen).is_err()
                || screen.maybe
                || !screen.if_written.is_empty();
            assert_eq!(flagged, screen_of(placed));
        }
        // Each place's answer was kept.
        assert_eq!(seen.shared.len(), 2);
    }
    // What the object said before the shared value is not its answer: an
    // AWS key read first, then the same value under `spec` alone.
    let key_first = Placed {
        note: Some("AKIAIOSFODNN7EXAMPLE"),
        ..under(false)
    };
    assert!(screen_of(&key_first));
    // And a finding before it stays when the value finds one too, read
    // anew or kept.
    let key_and_labels = Placed {
        note: Some("AKIAIOSFODNN7EXAMPLE"),
        ..under(true)
    };
    let mut seen = Seen::default();
    for placed in [&key_first, &in_spec, &key_and_labels, &key_and_labels] {
        let mut screen = Screen::new(Step::ROOT, false, &mut seen, Stacks::default());
        let flagged =
            placed.serialize(&mut screen).is_err() || screen.maybe || !screen.if_written.is_empty();
        assert_eq!(flagged, screen_of(placed));
        assert!(flagged || std::ptr::eq(placed, &in_spec));
    }
}

/// An env var whose name is shared.
#[derive(serde::Serialize)]
struct EnvVar {
    #[serde(serialize_with = "crate::lower::k8s::shared")]
    name: std::sync::Arc<str>,
    value: &'static str,
}

/// A shared string where a `{name, value}` pair is read is judged with
/// the other every time: `DB_PASSWORD` names its value in each env var.
#[test]
fn a_shared_name_is_judged_with_its_value() {
    let name: std::sync::Arc<str> = "DB_PASSWORD".into();
    let env = |value| EnvVar {
        name: std::sync::Arc::clone(&name),
        value,
    };
    let vars = [env("hunter2"), env("s3cret")];
    let mut seen = Seen::default();
    for var in &vars {
        assert!(screen_of(var));
        let mut screen = Screen::new(Step::ROOT, false, &mut seen, Stacks::default());
        let flagged =
            var.serialize(&mut screen).is_err() || screen.maybe || !screen.if_written.is_empty();
        assert!(flagged);
    }
}

/// What the screen says of any value.
fn verdict_of<T: Serialize>(v: &T) -> Verdict {
    let mut seen = Seen::default();
    let mut screen = Screen::new(Step::ROOT, false, &mut seen, Stacks::default());
    let maybe = v.serialize(&mut screen).is_err() || screen.maybe;
    Verdict {
        maybe,
        if_written: std::mem::take(&mut screen.if_written),
    }
}

/// An env var as a lowered container holds it, with its name first.
fn env(name: &str, value: &str) -> serde_json::Value {
    serde_json::json!({"env": [{"name": name, "value": value}]})
}

/// An env var whose name says credential and whose value has no known
/// format is flagged by `secret/literal` only where the site wrote its
/// value: the screen leaves the value to that lookup instead of sending
/// the object to the walk. Everything else a name may flag still goes to
/// the walk.
#[test]
fn a_named_value_is_left_to_what_the_site_wrote() {
    let only_if_written = |value: &str| Verdict {
        maybe: false,
        if_written: vec![value.to_string()],
    };
    let v = verdict_of(&env("PREFECT_X_AUTH_STRING_SECRET_KEY", "auth-string"));
    assert_eq!(v, only_if_written("auth-string"));
    assert!(!v.may_flag(|_| false));
    assert!(v.may_flag(|w| w == "auth-string"));
    assert_eq!(
        verdict_of(&env("DB_PASSWORD", "hunter2")),
        only_if_written("hunter2")
    );
    // Placeholders and names about a credential: nothing to flag.
    for (name, value) in [
        ("DB_PASSWORD", "$(DB_PASSWORD)"),
        ("DB_PASSWORD", ""),
        ("DB_PASSWORD", "true"),
        ("DB_PASSWORD_FILE", "hunter2"),
        ("HOME", "hunter2"),
    ] {
        assert_eq!(verdict_of(&env(name, value)), Verdict::default(), "{name}");
    }
    // A format the name lets count, a value that may be JSON, a value
    // before its name, a pair inside JSON: the walk.
    let aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let walked = [
        env("private_key", "hunter2"),
        env("AWS_SECRET_ACCESS_KEY", aws),
        env("DB_PASSWORD", r#"{"x": 1}"#),
        serde_json::json!({"env": [{"value": "hunter2", "name": "DB_PASSWORD"}]}),
        serde_json::json!({"data": {"t.json": env("DB_PASSWORD", "hunter2").to_string()}}),
    ];
    for v in walked {
        assert!(verdict_of(&v).maybe, "{v}");
    }
    // A value inside a pair's map is not the pair's value.
    #[derive(serde::Serialize)]
    struct Nested {
        name: &'static str,
        value: &'static str,
        more: Inner,
    }
    #[derive(serde::Serialize)]
    struct Inner {
        value: &'static str,
    }
    let nested = Nested {
        name: "DB_PASSWORD",
        value: "hunter2",
        more: Inner { value: "$(X)" },
    };
    assert_eq!(verdict_of(&nested), only_if_written("hunter2"));
}

/// A shared value whose reading left a value to look up is read again at
/// its next place: its verdict is not kept without what it left.
#[test]
fn a_shared_value_leaving_a_lookup_is_read_each_time() {
    #[derive(serde::Serialize)]
    struct Twice {
        #[serde(serialize_with = "crate::lower::k8s::shared")]
        first: std::sync::Arc<serde_json::Value>,
        #[serde(serialize_with = "crate::lower::k8s::shared")]
        second: std::sync::Arc<serde_json::Value>,
    }
    let shared = std::sync::Arc::new(env("DB_PASSWORD", "hunter2"));
    let v = verdict_of(&Twice {
        first: std::sync::Arc::clone(&shared),
        second: shared,
    });
    assert!(!v.maybe);
    assert_eq!(v.if_written, ["hunter2", "hunter2"]);
}

/// Screened at once, in two or three runs, every object gets what one
/// screen of them all in turn says (a fresh [`Seen`] for each run changes
/// no verdict), and a skipped object gets none.
#[test]
fn screens_at_once_say_what_one_screen_says() {
    let objects: Vec<Object> = (0..11)
        .map(|i| match i % 4 {
            0 => config_map("password", &format!("hunter{i}")),
            1 => config_map(
                "template.json",
                r#"{"env": [{"name": "HOME", "value": "/h"}]}"#,
            ),
            2 => config_map("notes", "pnu_0123456789abcdefghijklmnopqrstuvwxyz"),
            _ => config_map("DB_PASSWORD", "$(DB_PASSWORD)"),
        })
        .collect();
    let skipped = |i: usize| i % 5 == 3;
    let (mut seen, mut stacks) = (Seen::default(), Stacks::default());
    let in_turn: Vec<Option<Verdict>> = objects
        .iter()
        .enumerate()
        .map(|(i, o)| (!skipped(i)).then(|| may_flag(&o.resource, &mut seen, &mut stacks)))
        .collect();
    let flagged = in_turn
        .iter()
        .flatten()
        .filter(|v| v.may_flag(|_| true))
        .count();
    assert!(
        (3..9).contains(&flagged),
        "{flagged} of the objects may be flagged"
    );
    assert!(
        in_turn.iter().filter(|v| v.is_none()).count() == 2,
        "two skipped"
    );
    for parts in [2, 3] {
        assert_eq!(
            screens_at_once(&objects, &skipped, parts),
            in_turn,
            "{parts} runs"
        );
    }
    assert!(
        screens_at_once(&objects, &skipped, 1).is_empty(),
        "one run: in turn"
    );
}

/// Only a build that keeps no screens and walks not every object screens
/// at once: the language server's keystroke screens the few objects it
/// remade on its own thread (a second thread made it slower), and a walk
/// of every object needs no screen.
#[test]
fn only_a_plain_build_screens_at_once() {
    let objects: Vec<Object> = (0..6).map(|i| config_map("k", &format!("v{i}"))).collect();
    let kept = KeptScreen::default();
    crate::cores::PARTS.set(Some(3));
    let at_once = |kept: Option<&KeptScreen>, every: bool| {
        AT_ONCE.set(0);
        leaves(&objects, |_| false, kept, |_| true, every, None);
        AT_ONCE.get()
    };
    let (plain, keeping, every) = (
        at_once(None, false),
        at_once(Some(&kept), false),
        at_once(None, true),
    );
    crate::cores::PARTS.set(None);
    assert_eq!((plain, keeping, every), (1, 0, 0));
}

/// A ServiceAccount with `annotations`.
fn service_account(annotations: &[(&'static str, &str)]) -> Object {
    let annotations: crate::lower::k8s::Labels = annotations
        .iter()
        .map(|&(k, v)| (k.into(), v.to_string()))
        .collect();
    Object {
        resource: std::sync::Arc::new(Resource::ServiceAccount(
            crate::lower::k8s::ServiceAccount {
                api_version: "v1",
                kind: "ServiceAccount",
                metadata: ObjectMeta {
                    name: "sa".into(),
                    annotations: annotations.into(),
                    ..ObjectMeta::default()
                },
                automount_service_account_token: crate::lower::k8s::Tracked {
                    value: false,
                    prov: crate::model::Prov::Source(Default::default()),
                },
            },
        )),
        origin: Default::default(),
    }
}

/// What the screen said beside lowering is what it says of each resource
/// it was sent; one it was not sent, or one changed after it was screened
/// (lowering's `Arc::make_mut` of a resource the screen holds makes a copy
/// at an address of its own), it says nothing of, and the policy stage
/// screens it. ConfigMaps are left to the policy stage.
#[test]
fn a_resource_screened_beside_lowering_is_judged_as_it_was_screened() {
    let mut clean = service_account(&[("team", "a")]);
    let flagged = service_account(&[("password", "hunter2")]);
    let (unsent, map) = (service_account(&[]), config_map("password", "hunter2"));
    let (send, receive) = std::sync::mpsc::channel();
    for o in [&clean, &flagged, &map] {
        send.send(vec![std::sync::Arc::clone(&o.resource)])
            .expect("the screen receives");
    }
    drop(send);
    let screened = Prescreened::receive(receive);
    let said = screened.verdicts(&[clean.clone(), flagged.clone(), unsent, map]);
    assert_eq!(said[0], Some(Verdict::default()));
    assert!(said[1].as_ref().is_some_and(|v| v.may_flag(|_| true)));
    assert_eq!((&said[2], &said[3]), (&None, &None));
    // Changed after its screen: what was said of it no longer holds.
    if let Resource::ServiceAccount(sa) = std::sync::Arc::make_mut(&mut clean.resource) {
        sa.metadata.annotations = [("password".into(), "hunter2".to_string())]
            .into_iter()
            .collect::<crate::lower::k8s::Labels>()
            .into();
    }
    assert_eq!(screened.verdicts(&[clean]), vec![None]);
}
