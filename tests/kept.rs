//! What one analysis keeps for the next (the language server's): workers'
//! lowerings taken from the build before must give what a fresh build
//! gives, whatever the edit between them.

use std::path::{Path, PathBuf};

use prefectc::Kept;
use prefectc::lsp::{Analysis, Documents, path_to_uri};

const ROOT: &str = r#"import "workers.pfk"

site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
  policy    = restricted
}

server prefect {
  database = postgres { url = secret("db", "url") }
}

@allow("image/floating-tag", reason = "a finding on a flow-run Job, waived")
pool jobs {
  type      = kubernetes
  flow-runs { image = "prefecthq/prefect:3-latest" }
}

@allow("image/floating-tag", reason = "a finding on a flow-run Job, waived")
pool more {
  type = kubernetes
  flow-runs {
    labels = { team = "data" }
    image  = "prefecthq/prefect:3-latest"
  }
}

pool scripts { type = process }
"#;

/// A worker of `pool` named `name`, with `extra` lines.
fn worker(name: &str, pool: &str, extra: &str) -> String {
    format!("worker {name} {{\n  pool = {pool}\n  api  = prefect\n{extra}}}\n\n")
}

/// Two workers of `jobs` (the first makes its template), one of `more` in
/// its own job namespace, one of a process pool.
fn workers() -> Vec<String> {
    vec![
        worker("a1", "jobs", "  replicas = 1\n"),
        worker("a2", "jobs", ""),
        worker(
            "b1",
            "more",
            "  replicas = 1\n  job-namespaces = [\"flows\"]\n",
        ),
        worker("s1", "scripts", ""),
    ]
}

fn open(documents: &mut Documents, path: &Path, text: &str) {
    let uri = path_to_uri(path).expect("a URI");
    documents.open(path.to_path_buf(), uri, text.to_string());
}

struct Site {
    documents: Documents,
    root: PathBuf,
    workers: PathBuf,
    kept: Kept,
}

impl Site {
    fn new() -> Site {
        let root = PathBuf::from("/prefectc-kept/site.pfk");
        let workers = PathBuf::from("/prefectc-kept/workers.pfk");
        let mut documents = Documents::default();
        open(&mut documents, &root, ROOT);
        open(&mut documents, &workers, &workers_text(&self::workers()));
        Site {
            documents,
            root,
            workers,
            kept: Kept::default(),
        }
    }

    /// Analyses the site with what the last analysis kept, and without:
    /// the two must agree in every diagnostic, waiver and emitted byte.
    /// Returns the YAML.
    fn analyse(&self, what: &str) -> Option<String> {
        let kept = Analysis::run_unless(&self.root, &self.documents, Some(&self.kept), &|| false)
            .unwrap_or_else(|_| panic!("never given up"));
        let fresh = Analysis::run(&self.root, &self.documents);
        assert_eq!(
            format!("{:#?}", kept.output.diagnostics),
            format!("{:#?}", fresh.output.diagnostics),
            "{what}: diagnostics"
        );
        assert_eq!(
            format!("{:#?}", kept.output.waived),
            format!("{:#?}", fresh.output.waived),
            "{what}: waivers"
        );
        let yaml = |a: &Analysis| a.output.objects.as_deref().map(prefectc::emit::yaml);
        let out = yaml(&kept);
        assert_eq!(out, yaml(&fresh), "{what}: objects");
        out
    }

    fn edit_root(&mut self, text: &str) {
        self.documents.change(&self.root, text.to_string());
    }

    fn edit_workers(&mut self, workers: &[String]) {
        self.documents.change(&self.workers, workers_text(workers));
    }

    /// Workers lowered and taken from the build before, so far.
    fn counts(&self) -> (usize, usize) {
        let w = &self.kept.lowering.workers;
        (w.lowered(), w.reused())
    }
}

fn workers_text(workers: &[String]) -> String {
    workers.concat()
}

/// `text` as white space of the same length: what follows keeps its place
/// (and its spans), so its kept lowering may be used.
fn blank(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect()
}

/// A series of edits, each analysed with what the analysis before it kept
/// and compared with a fresh analysis: edits to one worker, workers taken
/// away, added and reordered (which changes the worker that makes its
/// pool's template), renamed, a worker's own template, and edits to what
/// every worker reads (a pool, the server, the site); errors and back.
#[test]
fn kept_lowerings_build_what_a_fresh_build_builds() {
    let mut site = Site::new();
    let first = site.analyse("first").expect("the site builds");
    assert!(
        first.contains("name: jobs-flow-runs"),
        "restricted: {first}"
    );

    let mut w = workers();
    w[0] = worker("a1", "jobs", "  replicas = 2\n");
    site.edit_workers(&w);
    let edited = site.analyse("a1's replicas").expect("builds");
    assert_ne!(edited, first);

    // One more digit: every worker after a1 moves by a byte, and is the
    // same worker; a line above the root's pools moves them. (a1 names its
    // type, so that nothing of its pool is in it: its lowering reads the
    // pool, which moved, and a1 did not.)
    let mut longer = w.clone();
    longer[0] = worker("a1", "jobs", "  type     = kubernetes\n  replicas = 12\n");
    site.edit_workers(&longer);
    assert!(site.analyse("a1's replicas, one digit more").is_some());
    site.edit_root(&format!("// a line above\n{ROOT}"));
    assert!(site.analyse("a line above the pools").is_some());
    site.edit_root(ROOT);
    site.edit_workers(&w);
    assert!(site.analyse("both as they were").is_some());

    // a2 was the second of its pool; now it makes the template (the
    // pool's flow-run Job, and its findings, come with it). Blanked, the
    // workers after a1 keep their spans.
    let mut without_a1 = w.clone();
    without_a1[0] = blank(&w[0]);
    site.edit_workers(&without_a1);
    assert!(site.analyse("a1 taken away").is_some());

    // a1 back, after a2: a2 still makes it, a1 finds it made.
    let mut swapped = w[1..].to_vec();
    swapped.insert(1, w[0].clone());
    site.edit_workers(&swapped);
    assert!(site.analyse("a1 after a2").is_some());

    site.edit_workers(&w);
    assert!(site.analyse("a1 before a2 again").is_some());

    let mut renamed = w.clone();
    renamed[1] = worker("a3", "jobs", "");
    site.edit_workers(&renamed);
    assert!(site.analyse("a2 renamed").is_some());

    let mut moved = w.clone();
    moved[1] = worker("a2", "more", "  job-namespaces = [\"flows\"]\n");
    site.edit_workers(&moved);
    assert!(site.analyse("a2 in another pool").is_some());

    // A pool's lowering reads its workers' job namespaces: b1's second
    // one gives `more` a ServiceAccount and a NetworkPolicy there.
    let mut wider = w.clone();
    wider[2] = worker(
        "b1",
        "more",
        "  replicas = 1\n  job-namespaces = [\"flows\", \"batch\"]\n",
    );
    site.edit_workers(&wider);
    let batch = site.analyse("b1's job namespaces").expect("builds");
    assert!(batch.contains("namespace: batch"), "{batch}");

    let mut own = w.clone();
    own[2] = worker(
        "b1",
        "more",
        "  base-job-template = \"{\\\"job_configuration\\\": {}, \\\"variables\\\": {}}\"\n",
    );
    site.edit_workers(&own);
    site.analyse("b1's own template");

    site.edit_workers(&w);
    assert!(site.analyse("as it was").is_some());

    site.edit_root(&ROOT.replace("team = \"data\"", "team = \"docs\""));
    let relabelled = site.analyse("a pool's flow runs").expect("builds");
    assert!(relabelled.contains("docs"), "{relabelled}");

    site.edit_root(&ROOT.replace("server prefect {\n", "server prefect {\n  replicas = 2\n"));
    assert!(site.analyse("the server").is_some());

    site.edit_root(&ROOT.replace("policy    = restricted", "policy    = baseline"));
    let baseline = site.analyse("the site's policy").expect("builds");
    assert!(!baseline.contains("jobs-flow-runs"), "baseline: {baseline}");

    site.edit_root(ROOT);
    assert!(site.analyse("the root as it was").is_some());

    let mut unknown = w.clone();
    unknown[3] = worker("s1", "nowhere", "");
    site.edit_workers(&unknown);
    assert_eq!(site.analyse("a pool that is not declared"), None);

    // A setting the release does not read is found by lowering s1; a
    // credential in source by the policy stage.
    error_kept(
        &mut site,
        &w,
        "\"PREFECT_WORKER_PREFETCH_SECONDZ\" = \"3\"",
        "a setting Prefect does not read",
    );
    error_kept(
        &mut site,
        &w,
        "\"SERVICE_TOKEN\" = \"hunter2-hunter2\"",
        "a credential in source",
    );

    let mut twice = w.clone();
    twice.push(w[0].clone());
    site.edit_workers(&twice);
    assert_eq!(site.analyse("a worker declared twice"), None);

    site.edit_workers(&w);
    assert!(
        site.analyse("mended") == Some(edited),
        "as before the errors"
    );
}

/// A value a component takes from outside it (a `let`), in a record inside
/// the component, and in a union's value: an edit to the `let` moves no
/// span of the component and changes what it is.
#[test]
fn a_value_from_a_let_is_compared_inside_records() {
    let mut site = Site::new();
    let with = |cpu: &str| {
        let mut w = workers();
        w[2] = worker(
            "b1",
            "more",
            "  job-namespaces = [\"flows\"]\n  resources { requests { cpu = cpu } }\n",
        );
        format!("let cpu = {cpu}\n\n{}", workers_text(&w))
    };
    site.documents.change(&site.workers, with("100m"));
    let before = site.analyse("a let").expect("builds");
    site.documents.change(&site.workers, with("200m"));
    let after = site.analyse("the let edited").expect("builds");
    assert!(after.contains("cpu: 200m"), "{after}");
    assert_ne!(before, after);

    // The same inside a union's value: the server's `postgres { … }`.
    let root = |key: &str| {
        let root = ROOT.replace("secret(\"db\", \"url\")", "secret(\"db\", key)");
        format!("let key = \"{key}\"\n\n{root}")
    };
    site.edit_root(&root("url"));
    assert!(site.analyse("a let in the root").is_some());
    site.edit_root(&root("uri"));
    let after = site.analyse("the root's let edited").expect("builds");
    assert!(after.contains("key: uri"), "{after}");
}

/// s1 with `env`, which is an error; then an edit to b1 that moves s1 by a
/// byte, so that s1's lowering (moved) and the screen's answers for its
/// objects are kept: the error must be found again, where it now is.
fn error_kept(site: &mut Site, w: &[String], env: &str, what: &str) {
    let mut edited = w.to_vec();
    edited[3] = worker("s1", "scripts", &format!("  env = {{ {env} }}\n"));
    site.edit_workers(&edited);
    assert_eq!(site.analyse(what), None);
    edited[2] = edited[2].replace("replicas = 1", "replicas = 12");
    site.edit_workers(&edited);
    let again = format!("{what}, and another worker edited");
    assert_eq!(site.analyse(&again), None);
}

/// A keystroke in one worker lowers that worker only, and the credential
/// screen reads only the objects made again; an edit to what every worker
/// reads lowers them all.
#[test]
fn a_keystroke_in_one_worker_lowers_that_worker() {
    let mut site = Site::new();
    let screened = |site: &Site| site.kept.screened.screened();
    let typed = |site: &Site| (site.kept.typed.converted(), site.kept.typed.reused());
    site.analyse("first").expect("builds");
    assert_eq!(site.counts(), (4, 0));
    // The server, three pools and four workers.
    assert_eq!(typed(&site), (8, 0));
    let every = screened(&site);

    // s1 gets a map, whose values' spans move with it below.
    let mut w = workers();
    w[3] = worker(
        "s1",
        "scripts",
        "  replicas = 3\n  pod-labels = { team = \"s\" }\n",
    );
    site.edit_workers(&w);
    site.analyse("s1's replicas");
    assert_eq!(site.counts(), (5, 3));
    assert_eq!(typed(&site), (9, 7), "s1 converted, the others kept");
    assert_eq!(
        site.kept.lowering.workers.pools_reused(),
        3,
        "the pools kept"
    );
    let keystroke = screened(&site) - every;

    site.analyse("nothing changed");
    assert_eq!(site.counts(), (5, 7));
    assert_eq!(typed(&site), (9, 15));
    let unchanged = screened(&site) - every - keystroke;
    // Answers for objects no build uses any more are dropped: what is held
    // is this build's objects and those of the last it made again, and an
    // unchanged site holds as many as the build before.
    let held = site.kept.screened.held();
    assert_eq!(held, every + unchanged);
    site.analyse("nothing changed again");
    assert_eq!(site.kept.screened.held(), held);
    // The two pools' templates, put back by their kept workers: once each.
    assert_eq!(site.kept.lowering.templates.held(), 2);
    // The other kinds' objects are made again every build.
    assert!(
        0 < unchanged && unchanged < keystroke && keystroke < every,
        "{unchanged} < {keystroke} < {every}"
    );

    // The server changes: every worker is lowered again, and the pools'
    // templates, kept while their workers' lowerings were, are not made
    // again.
    let templates = site.kept.lowering.templates.made();
    site.edit_root(&ROOT.replace("server prefect {\n", "server prefect {\n  replicas = 2\n"));
    site.analyse("the server");
    assert_eq!(site.counts(), (9, 11));
    assert_eq!(site.kept.lowering.templates.made(), templates);
    site.edit_root(ROOT);
    site.analyse("the server as it was");
    assert_eq!(site.counts(), (13, 11));

    site.edit_root(&ROOT.replace(
        "pool scripts { type = process }",
        "pool scripts { type = process }\n\npool spare { type = process }",
    ));
    site.analyse("a pool added");
    assert_eq!(site.counts(), (17, 11), "every worker reads the pools");
    site.edit_root(ROOT);
    site.analyse("the pool taken away");
    assert_eq!(site.counts(), (21, 11));

    // A keystroke in a1 that moves nothing, then one that moves the three
    // workers after it: they are the same workers (their spans count from
    // their declarations' starts), kept, checked and typed once, and the
    // screen reads as many objects for each keystroke.
    let before = screened(&site);
    w[0] = worker("a1", "jobs", "  replicas = 2\n");
    site.edit_workers(&w);
    site.analyse("a keystroke in a1");
    assert_eq!(site.counts(), (22, 14));
    let in_place = screened(&site) - before;
    let before = screened(&site);
    let (converted, _) = typed(&site);
    let (checked, _) = (site.kept.checks.checked(), site.kept.checks.reused());
    w[0] = worker("a1", "jobs", "  replicas = 12\n");
    site.edit_workers(&w);
    site.analyse("a keystroke above three workers");
    assert_eq!(site.counts(), (23, 17));
    assert_eq!(
        typed(&site).0,
        converted + 1,
        "a1 converted, the others kept"
    );
    assert_eq!(site.kept.checks.checked(), checked + 1, "a1 checked");
    assert_eq!(
        screened(&site) - before,
        in_place,
        "moved objects are not screened"
    );
    // A line above the pools moves them: no worker is lowered again, no
    // component checked again.
    let checked = site.kept.checks.checked();
    site.edit_root(&format!("// a line above\n{ROOT}"));
    site.analyse("a line above the pools");
    assert_eq!(site.counts(), (23, 21), "the pools moved, not changed");
    assert_eq!(typed(&site).0, converted + 1, "none converted");
    assert_eq!(site.kept.checks.checked(), checked, "none checked");
}

/// A component an edit did not change is the last build's typed
/// component itself, shared rather than copied, though the edit moved it;
/// one it changed is another.
#[test]
fn an_unchanged_component_is_shared_with_the_last_build() {
    let mut site = Site::new();
    let run = |site: &Site| {
        Analysis::run_unless(&site.root, &site.documents, Some(&site.kept), &|| false)
            .unwrap_or_else(|_| panic!("never given up"))
            .output
            .site
            .expect("builds")
    };
    let shared = |a: &prefectc::model::Site, b: &prefectc::model::Site| -> Vec<String> {
        a.components
            .iter()
            .zip(&b.components)
            .filter(|(x, y)| std::sync::Arc::ptr_eq(x, y))
            .map(|(x, _)| x.name.clone())
            .collect()
    };
    let first = run(&site);
    let again = run(&site);
    assert_eq!(shared(&first, &again).len(), first.components.len());

    // A digit in a2: a1 before it is shared, and so are the two workers
    // after it, which it moved; a2 changed.
    let mut w = workers();
    w[1] = worker("a2", "jobs", "  replicas = 12\n");
    site.edit_workers(&w);
    let edited = run(&site);
    let kept = shared(&again, &edited);
    for name in ["a1", "b1", "s1", "jobs"] {
        assert!(kept.contains(&name.to_string()), "{name}: {kept:?}");
    }
    assert!(!kept.contains(&"a2".to_string()), "{kept:?}");
}

/// A component's check reads the components it names: kept while they
/// are what they were, checked again when one is renamed, when a name it
/// used as an enum variant becomes a component's, and always when it
/// reads another component's values.
#[test]
fn a_check_is_kept_while_what_it_read_of_the_site_is() {
    let mut site = Site::new();
    let checks = |site: &Site| (site.kept.checks.checked(), site.kept.checks.reused());
    site.analyse("first").expect("builds");
    // The site, the server, three pools and four workers.
    assert_eq!(checks(&site), (9, 0));
    site.analyse("nothing changed");
    assert_eq!(checks(&site), (9, 9));

    // s1 names `scripts`, which is renamed: s1 is checked again (and
    // fails); the other workers are kept.
    site.edit_root(&ROOT.replace("pool scripts", "pool scriptz"));
    assert_eq!(site.analyse("s1's pool renamed"), None);
    assert_eq!(checks(&site), (11, 16), "the pool and s1");
    site.edit_root(ROOT);
    site.analyse("the pool's name as it was").expect("builds");
    assert_eq!(checks(&site), (13, 23));

    // s1 takes its type from `scripts`: a new type there is s1's too,
    // though nothing s1 wrote or named changed.
    let (checked, _) = checks(&site);
    site.edit_root(&ROOT.replace(
        "pool scripts { type = process }",
        "pool scripts { type = kubernetes }",
    ));
    let kubernetes = site.analyse("s1's pool's type").expect("builds");
    assert!(
        kubernetes.contains("name: s1-base-job-template"),
        "{kubernetes}"
    );
    assert_eq!(checks(&site).0, checked + 2, "the pool and s1");
    site.edit_root(ROOT);
    site.analyse("the type as it was").expect("builds");

    // `api = prefect` names the server: a worker named so instead, at the
    // same place, is not the server.
    site.edit_root(&ROOT.replace("server prefect {", "worker prefect {"));
    assert_eq!(site.analyse("the server now a worker"), None);
    site.edit_root(ROOT);
    site.analyse("the server back").expect("builds");

    // `type = kubernetes` is an enum variant while no component has that
    // name: a pool named so makes the other pools' types ambiguous.
    let ambiguous = format!("{ROOT}\npool kubernetes {{ type = process }}\n");
    site.edit_root(&ambiguous);
    assert_eq!(site.analyse("a pool named kubernetes"), None);
    site.edit_root(ROOT);
    site.analyse("without it").expect("builds");

    // a2 reads a1's replicas: its check read a1's values, and is not kept.
    let mut w = workers();
    w[1] = worker("a2", "jobs", "  replicas = a1.replicas\n");
    site.edit_workers(&w);
    let one = site.analyse("a2 reads a1").expect("builds");
    let (checked, _) = checks(&site);
    w[0] = worker("a1", "jobs", "  replicas = 3\n");
    site.edit_workers(&w);
    let three = site
        .analyse("a1's replicas, which a2 reads")
        .expect("builds");
    assert_eq!(checks(&site).0, checked + 2, "a1, and a2 which read it");
    assert_ne!(one, three);
    assert_eq!(three.matches("replicas: 3").count(), 2, "{three}");
}

/// A component's evaluation is kept while its declaration, its loop
/// variables, its templates and the lets and params it read are what they
/// were; anything else evaluates it again, and every build gives what a
/// fresh one gives.
#[test]
fn an_evaluation_is_kept_while_what_it_read_is() {
    let mut site = Site::new();
    let evaluated = |site: &Site| {
        let e = &site.kept.evaluations;
        (e.evaluated(), e.reused())
    };
    site.analyse("first").expect("builds");
    // The site, the server, three pools and four workers.
    assert_eq!(evaluated(&site), (9, 0));
    site.analyse("nothing changed").expect("builds");
    assert_eq!(evaluated(&site), (9, 9));

    let mut w = workers();
    w[0] = worker("a1", "jobs", "  replicas = 2\n");
    site.edit_workers(&w);
    site.analyse("a1's replicas").expect("builds");
    assert_eq!(evaluated(&site), (10, 17), "a1 only");

    // A let read by a2 and b1: a2 reads it first and evaluates it, every
    // build; b1 finds it evaluated, and is kept while it reads the same.
    w[1] = worker("a2", "jobs", "  replicas = n\n");
    w[2] = worker(
        "b1",
        "more",
        "  replicas = n\n  job-namespaces = [\"flows\"]\n",
    );
    let with_let = |n: &str, w: &[String]| format!("let n = {n}\n\n{}", workers_text(w));
    site.documents.change(&site.workers, with_let("2", &w));
    site.analyse("a let read by a2 and b1").expect("builds");
    assert_eq!(evaluated(&site), (12, 24));
    let checked = site.kept.checks.checked();
    site.analyse("the same").expect("builds");
    assert_eq!(evaluated(&site), (13, 32), "a2, the let's first reader");
    // a2, evaluated again to the same values, is not checked again.
    assert_eq!(site.kept.checks.checked(), checked, "none checked");
    site.documents.change(&site.workers, with_let("3", &w));
    let three = site.analyse("the let edited").expect("builds");
    assert_eq!(evaluated(&site), (15, 39), "a2 and b1");
    assert_eq!(three.matches("replicas: 3").count(), 2, "{three}");

    // s1's `pool = scripts` is a bare name while no let has it: a let
    // named so is what s1 reads then.
    site.documents.change(
        &site.workers,
        format!("{}let scripts = \"jobs\"\n", with_let("3", &w)),
    );
    let bound = site.analyse("a let named as s1's pool").expect("builds");
    assert!(bound.contains("name: s1"), "{bound}");
    assert_eq!(evaluated(&site).0, 17, "a2, the let's first reader, and s1");
    site.documents.change(&site.workers, with_let("3", &w));
    site.analyse("without it").expect("builds");

    // A template: what extends it is evaluated again when it changes.
    let templated = |replicas: &str| {
        let mut w = workers();
        w[0] = "worker a1 extends base { pool = jobs, api = prefect }\n\n".to_string();
        w[3] = "worker s1 extends base { pool = scripts, api = prefect }\n\n".to_string();
        format!(
            "template worker base {{ replicas = {replicas} }}\n\n{}",
            workers_text(&w)
        )
    };
    site.documents.change(&site.workers, templated("2"));
    site.analyse("a template").expect("builds");
    let (before, _) = evaluated(&site);
    site.analyse("the same").expect("builds");
    assert_eq!(evaluated(&site).0, before, "none evaluated");
    site.documents.change(&site.workers, templated("4"));
    let four = site.analyse("the template edited").expect("builds");
    assert_eq!(evaluated(&site).0, before + 2, "a1 and s1");
    assert_eq!(four.matches("replicas: 4").count(), 2, "{four}");

    // Workers made by a loop over a let: kept while their loop values
    // are, spans included; an edit to the list makes each value another
    // (its span counts from the let's piece, which is another).
    let looped = |names: &str, a1: &str| {
        let mut w = workers();
        w[0] = worker("a1", "jobs", a1);
        format!(
            "let owner = \"data\"\nlet names = [{names}]\n\nfor n in names {{\n  \
             let label = \"${{n}}-${{owner}}\"\n  worker \"w-${{n}}\" {{\n    pool = jobs\n    \
             api = prefect\n    pod-labels = {{ team = label }}\n  }}\n}}\n\n{}",
            workers_text(&w)
        )
    };
    site.documents
        .change(&site.workers, looped("\"x\", \"y\", \"z\"", ""));
    site.analyse("a loop").expect("builds");
    let (before, _) = evaluated(&site);
    site.documents.change(
        &site.workers,
        looped("\"x\", \"y\", \"z\"", "  replicas = 2\n"),
    );
    site.analyse("a1 edited").expect("builds");
    // w-x reads `owner` first (through the loop's let); w-y and w-z are
    // kept.
    assert_eq!(evaluated(&site).0, before + 2, "a1 and w-x");
    site.documents.change(
        &site.workers,
        looped("\"x\", \"q\", \"z\"", "  replicas = 2\n"),
    );
    let q = site.analyse("one loop value edited").expect("builds");
    assert!(q.contains("team: q-data"), "{q}");
    assert_eq!(evaluated(&site).0, before + 5, "w-x, w-q and w-z");
    site.documents
        .change(&site.workers, looped("\"z\", \"q\", \"x\"", ""));
    site.analyse("the loop's values reordered").expect("builds");
    // The loop's declaration edited: every worker it makes is another.
    let (before, _) = evaluated(&site);
    let edited = looped("\"z\", \"q\", \"x\"", "").replace("team = label", "owner = label");
    site.documents.change(&site.workers, edited);
    let owner = site.analyse("the loop's body edited").expect("builds");
    assert!(owner.contains("owner: q-data"), "{owner}");
    assert_eq!(evaluated(&site).0, before + 3, "w-z, w-q and w-x");

    // Errors in a component are reported by every build that has them,
    // kept or not; a file that does not parse loses names, and a build
    // that lost names neither takes nor keeps an evaluation.
    w = workers();
    w[1] = worker("a2", "jobs", "  replicas = nope(1)\n");
    site.edit_workers(&w);
    assert_eq!(site.analyse("an unknown function"), None);
    w[0] = worker("a1", "jobs", "  replicas = 3\n");
    site.edit_workers(&w);
    assert_eq!(site.analyse("the error stays"), None);
    site.edit_root(&format!("{ROOT}\npool broken {{ type = \n"));
    assert_eq!(site.analyse("a syntax error"), None);
    let (before, _) = evaluated(&site);
    site.edit_workers(&workers());
    assert_eq!(site.analyse("the workers as they were"), None);
    assert_eq!(evaluated(&site).0, before, "nothing evaluated or kept");
    site.edit_root(ROOT);
    site.analyse("mended").expect("builds");

    // A param read by b1 alone: b1 kept still reads it (no W0502).
    w = workers();
    w[2] = worker("b1", "more", "  image = \"prefecthq/prefect:${tag}\"\n");
    let with_param = |w: &[String]| {
        format!(
            "param tag: String = \"3.4.25-python3.12\"\n\n{}",
            workers_text(w)
        )
    };
    site.documents.change(&site.workers, with_param(&w));
    site.analyse("a param").expect("builds");
    let (before, _) = evaluated(&site);
    w[0] = worker("a1", "jobs", "  replicas = 5\n");
    site.documents.change(&site.workers, with_param(&w));
    let kept = site.analyse("a1 edited, b1 kept").expect("builds");
    assert!(
        kept.contains("prefecthq/prefect:3.4.25-python3.12"),
        "{kept}"
    );
    assert_eq!(evaluated(&site).0, before + 1, "a1");
}

/// A site near the evaluation budget (E0313): what a kept evaluation
/// counted is counted again, less the lets it was the first to read, so
/// the budget runs out where a fresh build's does.
#[test]
fn kept_evaluations_count_against_the_budget() {
    let mut site = Site::new();
    // `big` is 61,440 steps to read (a string of 983,040 bytes, one step
    // per 16 bytes); `replicas = if big == "" …` reads it and keeps none.
    let mut lets = String::from("let s0 = \"0123456789abcdefghijklmnopqrst\"\n");
    for i in 1..=15 {
        lets.push_str(&format!("let s{i} = s{} + s{}\n", i - 1, i - 1));
    }
    lets.push_str("let big = s15\n\n");
    let reader = |name: &str, reads: usize| {
        let cond = vec!["big == \"\""; reads].join(" || ");
        worker(
            name,
            "jobs",
            &format!("  replicas = if {cond} {{ 2 }} else {{ 1 }}\n"),
        )
    };
    let workers = |heavy: bool| -> String {
        let mut text = lets.clone();
        if heavy {
            text.push_str(&reader("r-heavy", 15));
        }
        for i in 0..150 {
            text.push_str(&reader(&format!("r{i}"), 1));
        }
        text
    };
    site.documents.change(&site.workers, workers(false));
    let under = site.analyse("150 readers");
    assert!(under.is_some(), "under the budget");
    // A reader above them reads it 15 times, and first: the budget runs
    // out some way down the kept readers, where a fresh build's does,
    // though r0, kept, read it first in the build before.
    site.documents.change(&site.workers, workers(true));
    assert_eq!(site.analyse("over the budget"), None);
    let e = &site.kept.evaluations;
    assert!(e.reused() > 100, "{} kept", e.reused());
}

/// The site's NetworkPolicies are made from every workload's traffic on
/// every build; one made the same as the last build's is the last build's
/// object (and is not screened again), one that differs is the new one.
#[test]
fn a_network_policy_is_kept_while_it_is_the_same() {
    let mut site = Site::new();
    let policies = |site: &Site| {
        let p = &site.kept.lowering.policies;
        (p.made(), p.reused())
    };
    site.analyse("first").expect("builds");
    // The default deny, the server's, and one per worker.
    assert_eq!(policies(&site), (6, 0));
    site.analyse("nothing changed").expect("builds");
    assert_eq!(policies(&site), (6, 6));

    let mut w = workers();
    w[3] = worker("s1", "scripts", "  replicas = 3\n");
    site.edit_workers(&w);
    site.analyse("s1's replicas").expect("builds");
    assert_eq!(policies(&site), (6, 12), "replicas are no traffic");

    // b1's flow runs in another namespace: the server's API accepts them
    // from there too.
    w[2] = worker(
        "b1",
        "more",
        "  replicas = 1\n  job-namespaces = [\"flows\", \"batch\"]\n",
    );
    site.edit_workers(&w);
    let batch = site.analyse("b1's job namespaces").expect("builds");
    assert_eq!(policies(&site), (7, 17), "the server's");
    let server = batch
        .split("\n---\n")
        .find(|o| o.contains("kind: NetworkPolicy") && o.contains("name: prefect\n"))
        .expect("the server's policy");
    assert!(
        server.contains("kubernetes.io/metadata.name: batch"),
        "{server}"
    );

    // A worker renamed: its policy is another, and so is the server's,
    // whose clients it selects by name.
    w[1] = worker("a3", "jobs", "");
    site.edit_workers(&w);
    site.analyse("a2 renamed").expect("builds");
    assert_eq!(policies(&site), (9, 21), "a3's and the server's");
}
