//! The language server as an editor drives it: in-process over
//! `Connection::memory()` with the server loop on a thread, and once over
//! the stdio of the built binary.

use std::path::PathBuf;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidOpenTextDocument, Exit, Initialized, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    Initialize, Request as _, Shutdown,
};
use lsp_types::{
    CompletionResponse, Diagnostic, DocumentSymbolResponse, GotoDefinitionResponse, Hover,
    HoverContents, NumberOrString, Position, PublishDiagnosticsParams, Range, TextEdit, Uri,
};
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    conn: Connection,
    server: Option<std::thread::JoinHandle<()>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pending: Vec<Notification>,
    dir: tempfile::TempDir,
}

impl Client {
    fn start() -> Client {
        Client::start_with(json!({ "capabilities": {} }))
    }

    /// A client whose `initialize` request has these params.
    fn start_with(initialize: Value) -> Client {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || {
            prefectc::lsp::serve(&server).expect("the server runs to the end");
        });
        let mut c = Client {
            conn,
            server: Some(handle),
            next_id: 0,
            pending: Vec::new(),
            dir: tempfile::tempdir().expect("a temporary directory"),
        };
        let init = c.request_value(Initialize::METHOD, initialize);
        assert_eq!(init["serverInfo"]["name"], "prefectc");
        assert_eq!(init["capabilities"]["hoverProvider"], true);
        c.notify(Initialized::METHOD, json!({}));
        c
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn uri(&self, name: &str) -> Uri {
        prefectc::lsp::path_to_uri(&self.path(name)).expect("a URI")
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .expect("the server listens");
    }

    fn request_value(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.into(), params).into())
            .expect("the server listens");
        loop {
            match self.conn.receiver.recv_timeout(TIMEOUT).expect("an answer") {
                Message::Response(Response {
                    id: got,
                    response_result,
                }) if got == id => {
                    return response_result.unwrap_or_else(|e| panic!("{method}: {e:?}"));
                }
                Message::Notification(n) => self.pending.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn request<R: lsp_types::request::Request>(&mut self, params: Value) -> R::Result {
        let v = self.request_value(R::METHOD, params);
        serde_json::from_value(v).expect("a well-formed result")
    }

    fn open(&self, name: &str, text: &str) {
        self.notify(
            DidOpenTextDocument::METHOD,
            json!({ "textDocument": {
                "uri": self.uri(name), "languageId": "pfk", "version": 1, "text": text
            }}),
        );
    }

    fn change(&self, name: &str, version: i32, text: &str) {
        self.notify(
            DidChangeTextDocument::METHOD,
            json!({
                "textDocument": { "uri": self.uri(name), "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// The next diagnostics published for `name`.
    fn diagnostics(&mut self, name: &str) -> Vec<Diagnostic> {
        self.diagnostics_within(name, TIMEOUT).expect("diagnostics")
    }

    /// The next diagnostics published for `name` within `wait`, if any.
    fn diagnostics_within(&mut self, name: &str, wait: Duration) -> Option<Vec<Diagnostic>> {
        let uri = self.uri(name);
        let matches = |n: &Notification| {
            n.method == PublishDiagnostics::METHOD && n.params["uri"] == json!(uri)
        };
        if let Some(i) = self.pending.iter().position(matches) {
            let n = self.pending.remove(i);
            return Some(published(n));
        }
        loop {
            match self.conn.receiver.recv_timeout(wait).ok()? {
                Message::Notification(n) if matches(&n) => return Some(published(n)),
                Message::Notification(n) => self.pending.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn position(&self, name: &str, line: u32, character: u32) -> Value {
        json!({ "textDocument": { "uri": self.uri(name) }, "position": Position::new(line, character) })
    }

    fn hover(&mut self, name: &str, line: u32, character: u32) -> Option<String> {
        let h: Option<Hover> = self.request::<HoverRequest>(self.position(name, line, character));
        h.map(|h| match h.contents {
            HoverContents::Markup(m) => m.value,
            other => panic!("markdown expected: {other:?}"),
        })
    }

    fn completions(
        &mut self,
        name: &str,
        line: u32,
        character: u32,
    ) -> Vec<(String, Option<String>)> {
        let r = self.request::<Completion>(self.position(name, line, character));
        match r {
            Some(CompletionResponse::Array(items)) => {
                items.into_iter().map(|i| (i.label, i.detail)).collect()
            }
            other => panic!("a list expected: {other:?}"),
        }
    }

    fn labels(&mut self, name: &str, line: u32, character: u32) -> Vec<String> {
        self.completions(name, line, character)
            .into_iter()
            .map(|(l, _)| l)
            .collect()
    }

    fn definition(&mut self, name: &str, line: u32, character: u32) -> Option<(Uri, Range)> {
        let r = self.request::<GotoDefinition>(self.position(name, line, character));
        match r {
            Some(GotoDefinitionResponse::Scalar(l)) => Some((l.uri, l.range)),
            None => None,
            other => panic!("one location expected: {other:?}"),
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        self.request_value(Shutdown::METHOD, Value::Null);
        self.notify(Exit::METHOD, Value::Null);
        if let Some(h) = self.server.take() {
            h.join().expect("the server thread ends cleanly");
        }
    }
}

fn published(n: Notification) -> Vec<Diagnostic> {
    let p: PublishDiagnosticsParams = serde_json::from_value(n.params).expect("diagnostics");
    p.diagnostics
}

fn code(d: &Diagnostic) -> &str {
    match &d.code {
        Some(NumberOrString::String(s)) => s,
        other => panic!("a string code expected: {other:?}"),
    }
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Range {
    Range::new(Position::new(l1, c1), Position::new(l2, c2))
}

const SITE: &str = r#"let small = { cpu = 100m, memory = 128Mi }

site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
}

server prefect {
  database = sqlite {}
}

/// Jobs on the cluster.
pool jobs {
  type = kubernetes
}

worker etl {
  pool     = jobs
  api      = prefect
  replicas = 2
  resources { requests = small }
}
"#;

/// `SITE` with `replicas` misspelt on line 19.
fn with_typo() -> String {
    SITE.replace("  replicas = 2", "  replica  = 2")
}

/// What `prefectc check --format json` reports for a text.
fn cli_diagnostics(text: &str) -> Vec<Value> {
    let out = prefectc::build(
        "site.pfk",
        text.to_string(),
        &prefectc::MemoryLoader(Vec::new()),
        &prefectc::Options::default(),
    );
    prefectc::diagnostics::json::lines(&out.diagnostics, &out.sources)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect()
}

#[test]
fn diagnostics_match_the_cli_and_clear_when_fixed() {
    let mut c = Client::start();
    c.open("site.pfk", &with_typo());
    let got = c.diagnostics("site.pfk");
    let want = cli_diagnostics(&with_typo());
    assert_eq!(got.len(), want.len(), "{got:#?}");
    assert_eq!(got.len(), 1);
    let (d, w) = (&got[0], &want[0]);
    assert_eq!(code(d), "E0301");
    assert_eq!(code(d), w["code"]);
    assert_eq!(d.source.as_deref(), Some("prefectc"));
    assert_eq!(d.range, range(19, 2, 19, 9));
    // The CLI's lines and columns are 1-based.
    assert_eq!(d.range.start.line + 1, w["line"]);
    assert_eq!(d.range.start.character + 1, w["column"]);
    assert_eq!(d.range.end.character + 1, w["end_column"]);
    let first_line = d.message.lines().next().expect("a message");
    assert_eq!(first_line, w["message"]);
    assert!(
        d.message.contains("help: did you mean `replicas`?"),
        "{}",
        d.message
    );
    assert!(d.message.contains("Worker has no field `replica`"));

    c.change("site.pfk", 2, SITE);
    assert_eq!(c.diagnostics("site.pfk"), Vec::new());
}

/// A build asked after each stage whether it is still wanted stops at the
/// first "no" with what it had: after resolve nothing is checked, after
/// check nothing is lowered; never refused, it is `build`'s own result.
#[test]
fn a_superseded_build_stops_between_stages() {
    use std::cell::Cell;
    let build = |refuse_at: usize| {
        let asked = Cell::new(0);
        let result = prefectc::build_unless(
            "site.pfk",
            SITE.to_string(),
            &prefectc::MemoryLoader(Vec::new()),
            &prefectc::Options::default(),
            None,
            &|| {
                asked.set(asked.get() + 1);
                asked.get() == refuse_at
            },
        );
        (result, asked.get())
    };
    let (done, asked) = build(0);
    let done = done.unwrap_or_else(|_| panic!("never refused, the build finishes"));
    assert_eq!(asked, 3, "asked after resolve, check and lower");
    assert!(done.objects.is_some() && done.site.is_some());
    let whole = prefectc::build(
        "site.pfk",
        SITE.to_string(),
        &prefectc::MemoryLoader(Vec::new()),
        &prefectc::Options::default(),
    );
    let yaml =
        |o: &prefectc::Output| prefectc::emit::yaml(o.objects.as_deref().unwrap_or_default());
    assert_eq!(yaml(&done), yaml(&whole));
    for (at, checked) in [(1, false), (2, true), (3, true)] {
        let (result, asked) = build(at);
        let Err(prefectc::Superseded(partial)) = result else {
            panic!("refused at question {at}, the build stops");
        };
        assert_eq!(asked, at, "no question after the refusal");
        assert!(partial.objects.is_none(), "no objects from a stopped build");
        assert_eq!(partial.site.is_some(), checked, "refused at {at}");
        assert!(!partial.resolved.files.is_empty(), "the files were read");
    }
}

/// Between two analyses of one root, only the files whose text changed are
/// parsed again, and a pool's base job template is made again only when
/// its flow runs change; what comes out is what a fresh analysis gives: an
/// edit to one import is seen, an import broken and mended again is read
/// as it now is.
#[test]
fn only_what_an_edit_changed_is_made_again() {
    use prefectc::Kept;
    use prefectc::lsp::{Analysis, Documents, path_to_uri};
    let dir = tempfile::tempdir().expect("a directory");
    let root = dir.path().join("site.pfk");
    let pools = dir.path().join("pools.pfk");
    let workers = dir.path().join("workers.pfk");
    let mut documents = Documents::default();
    let mut open = |path: &PathBuf, text: &str| {
        let uri = path_to_uri(path).expect("a URI");
        documents.open(path.clone(), uri, text.to_string());
    };
    open(
        &root,
        "import \"pools.pfk\"\nimport \"workers.pfk\"\n\nsite demo {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n\nserver prefect {\n  database = sqlite {}\n}\n",
    );
    open(&pools, "pool jobs {\n  type = kubernetes\n}\n");
    let worker = |replicas: &str| {
        format!(
            "worker etl {{\n  pool     = jobs\n  api      = prefect\n  replicas = {replicas}\n}}\n"
        )
    };
    open(&workers, &worker("2"));

    let kept = Kept::default();
    let analyse = |documents: &Documents| {
        let reused = Analysis::run_unless(&root, documents, Some(&kept), &|| false)
            .unwrap_or_else(|_| panic!("never given up"));
        let fresh = Analysis::run(&root, documents);
        // The same result as parsing every file: diagnostics and objects.
        assert_eq!(
            format!("{:?}", reused.output.diagnostics),
            format!("{:?}", fresh.output.diagnostics)
        );
        let yaml = |a: &Analysis| a.output.objects.as_deref().map(prefectc::emit::yaml);
        assert_eq!(yaml(&reused), yaml(&fresh));
        yaml(&reused)
    };

    let first = analyse(&documents).expect("the site builds");
    assert_eq!(kept.parses.parsed(), 3, "each file once");
    assert_eq!(kept.lowering.templates.made(), 1, "the pool's template");
    assert!(first.contains("replicas: 2"));

    documents.change(&workers, worker("12"));
    let edited = analyse(&documents).expect("the site builds");
    assert_eq!(
        kept.parses.parsed(),
        4,
        "only the edited file is parsed again"
    );
    assert!(edited.contains("replicas: 12"), "the edit is seen");
    assert_eq!(
        kept.lowering.templates.made(),
        1,
        "the pool's flow runs are as they were"
    );

    documents.change(&pools, "pool jobs {\n  type = \n}\n".to_string());
    assert_eq!(analyse(&documents), None, "a syntax error stops the build");
    assert_eq!(kept.parses.parsed(), 5);

    documents.change(&pools, "pool jobs {\n  type = kubernetes\n}\n".to_string());
    assert_eq!(
        analyse(&documents),
        Some(edited.clone()),
        "mended, as it was"
    );
    assert_eq!(kept.parses.parsed(), 6, "the mended file is parsed again");
    assert_eq!(
        kept.lowering.templates.made(),
        1,
        "kept through a build that stopped"
    );

    analyse(&documents);
    assert_eq!(kept.parses.parsed(), 6, "nothing changed, nothing parsed");

    // The flow runs change: the template is made again, and says so.
    let labels =
        "pool jobs {\n  type = kubernetes\n  flow-runs { labels = { team = \"data\" } }\n}\n";
    documents.change(&pools, labels.to_string());
    let labelled = analyse(&documents).expect("the site builds");
    assert_eq!(kept.lowering.templates.made(), 2);
    assert_ne!(labelled, edited);
    assert!(labelled.contains(r#""team": "data""#), "{labelled}");
    // A value of the same length is another input all the same.
    documents.change(&pools, labels.replace("data", "docs"));
    let relabelled = analyse(&documents).expect("the site builds");
    assert_eq!(kept.lowering.templates.made(), 3);
    assert!(relabelled.contains(r#""team": "docs""#), "{relabelled}");
}

/// An edit, then a request while the server analyses it: the analysis
/// may be given up for the request, but the edited text is analysed before
/// the request is answered and its diagnostics are the last published.
/// Then a burst of edits: the last text's diagnostics are published last.
#[test]
fn the_last_text_is_analysed_whatever_interrupts_it() {
    let mut c = Client::start();
    let big = format!(
        "{SITE}{}",
        (0..150)
            .map(|i| format!("\nworker extra-{i} {{\n  pool = jobs\n  api  = prefect\n}}\n"))
            .collect::<String>()
    );
    c.open("site.pfk", &big);
    assert_eq!(c.diagnostics("site.pfk"), Vec::new());
    let typo = big.replace("  replicas = 2", "  replica  = 2");
    c.change("site.pfk", 2, &typo);
    // The server is analysing the typo when the request arrives.
    std::thread::sleep(Duration::from_millis(50));
    let _ = c.hover("site.pfk", 0, 0);
    let mut last = None;
    while let Some(next) = c.diagnostics_within("site.pfk", Duration::from_secs(3)) {
        last = Some(next);
    }
    let last = last.expect("the edited text is published");
    assert_eq!(last.len(), 1, "{last:#?}");
    assert_eq!(code(&last[0]), "E0301");

    for v in 3..20 {
        c.change("site.pfk", v, if v % 2 == 0 { &typo } else { &big });
        std::thread::sleep(Duration::from_millis(5));
    }
    c.change("site.pfk", 20, &big);
    let mut last = None;
    while let Some(next) = c.diagnostics_within("site.pfk", Duration::from_secs(3)) {
        last = Some(next);
    }
    assert_eq!(last, Some(Vec::new()), "the last text has no diagnostic");
}

/// A diagnostic with a suggestion offers it as a quick fix; applied, the
/// file has no diagnostic left. An upper-case env name (a map key) is
/// neither an error nor a problem for hover.
#[test]
fn the_client_sets_the_component_cap_as_the_command_line_does() {
    let minimal = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/minimal.pfk"),
    )
    .expect("the example");
    // Four components: within the default cap, and past a cap of 2.
    let mut plain = Client::start();
    plain.open("site.pfk", &minimal);
    assert!(
        plain
            .diagnostics("site.pfk")
            .iter()
            .all(|d| code(d) != "E0313")
    );
    let options = |cap: Value| json!({ "capabilities": {}, "initializationOptions": { "maxComponents": cap } });
    let mut capped = Client::start_with(options(json!(2)));
    capped.open("site.pfk", &minimal);
    let diags = capped.diagnostics("site.pfk");
    assert!(
        diags
            .iter()
            .any(|d| code(d) == "E0313" && d.message.contains("more than 2 components\n")),
        "{diags:?}"
    );
    // A value that is no number of components: shown, and the defaults kept.
    for bad in [json!(0), json!("many"), json!(2.5)] {
        let mut refused = Client::start_with(options(bad.clone()));
        refused.open("site.pfk", &minimal);
        let diags = refused.diagnostics("site.pfk");
        assert!(diags.iter().all(|d| code(d) != "E0313"), "{bad}: {diags:?}");
        let shown = refused
            .pending
            .iter()
            .find(|n| n.method == "window/showMessage")
            .unwrap_or_else(|| panic!("{bad}: no message"));
        assert_eq!(shown.params["type"], 1);
        let text = shown.params["message"].as_str().unwrap_or_default();
        assert!(
            text.contains("maxComponents") && text.contains("from 1 to 200000"),
            "{text}"
        );
    }
}

#[test]
fn suggestions_are_quick_fixes() {
    let mut c = Client::start();
    let text = SITE.replace(
        "  replicas = 2",
        "  replicas = 2\n  nodeSelector = { disk = \"ssd\" }\n  env = { AWS_REGION = \"eu-west-1\" }",
    );
    c.open("site.pfk", &text);
    let got = c.diagnostics("site.pfk");
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(code(&got[0]), "E0301");
    let actions = c.request::<CodeActionRequest>(json!({
        "textDocument": { "uri": c.uri("site.pfk") },
        "range": got[0].range,
        "context": { "diagnostics": got },
    }));
    let actions = actions.expect("code actions");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let lsp_types::CodeActionOrCommand::CodeAction(action) = &actions[0] else {
        panic!("a code action, not a command");
    };
    assert_eq!(action.title, "Replace with `node-selector`");
    let edits = action
        .edit
        .as_ref()
        .and_then(|e| e.changes.as_ref())
        .and_then(|changes| changes.get(&c.uri("site.pfk")))
        .expect("an edit of site.pfk");
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].range, range(20, 2, 20, 14));
    let fixed = text.replace("nodeSelector", &edits[0].new_text);
    c.change("site.pfk", 2, &fixed);
    assert_eq!(c.diagnostics("site.pfk"), Vec::new());
    // Hover on the upper-case key and its value answers without failing.
    c.hover("site.pfk", 21, 12);
    c.hover("site.pfk", 21, 26);
    // A diagnostic without a suggestion offers nothing.
    c.change(
        "site.pfk",
        3,
        &SITE.replace("replicas = 2", "replicas = -1"),
    );
    let got = c.diagnostics("site.pfk");
    assert!(!got.is_empty());
    let actions = c.request::<CodeActionRequest>(json!({
        "textDocument": { "uri": c.uri("site.pfk") },
        "range": got[0].range,
        "context": { "diagnostics": got },
    }));
    assert_eq!(actions, Some(Vec::new()));
}

#[test]
fn secondary_labels_become_related_information() {
    let mut c = Client::start();
    let text = SITE.replace("worker etl {", "worker etl {\n  type = process");
    c.open("site.pfk", &text);
    let got = c.diagnostics("site.pfk");
    let d = got.iter().find(|d| code(d) == "E0401").expect("E0401");
    let related = d.related_information.as_ref().expect("related information");
    let found: Vec<(&str, u32)> = related
        .iter()
        .map(|r| {
            assert_eq!(r.location.uri, c.uri("site.pfk"));
            (r.message.as_str(), r.location.range.start.line)
        })
        .collect();
    // `pool = jobs` of the worker, and `type = kubernetes` of the pool.
    assert_eq!(
        found,
        [("joins pool `jobs`", 18), ("pool `jobs` is kubernetes", 13)]
    );
}

#[test]
fn policy_findings_are_published_with_their_rule_id() {
    let mut c = Client::start();
    let text = SITE.replace(
        "  replicas = 2",
        "  replicas = 2\n  image    = \"prefecthq/prefect:3-latest\"",
    );
    c.open("site.pfk", &text);
    let got = c.diagnostics("site.pfk");
    let want = cli_diagnostics(&text);
    let codes: Vec<&str> = got.iter().map(code).collect();
    let want_codes: Vec<&str> = want
        .iter()
        .map(|w| w["code"].as_str().expect("a code"))
        .collect();
    assert_eq!(codes, want_codes);
    assert!(codes.contains(&"image/floating-tag"), "{codes:?}");
}

#[test]
fn imports_are_read_from_the_editor_first_then_from_disk() {
    let mut c = Client::start();
    let common = "template worker team {\n  api = prefect\n  replicaz = 1\n}\n";
    std::fs::write(c.path("common.pfk"), common).expect("writes");
    let site = SITE
        .replace("worker etl {", "worker etl extends team {")
        .replace("  api      = prefect\n", "");
    let site = format!("import \"common.pfk\"\n\n{site}");
    c.open("site.pfk", &site);
    // The error is in the imported file, which is not open: read from disk.
    let common_diags = c.diagnostics("common.pfk");
    assert_eq!(common_diags.iter().map(code).collect::<Vec<_>>(), ["E0301"]);
    assert_eq!(common_diags[0].range.start.line, 2);
    assert_eq!(c.diagnostics("site.pfk"), Vec::new());

    // Opened and fixed in the editor (not saved): the site sees the fix.
    c.open("common.pfk", &common.replace("replicaz", "replicas"));
    assert_eq!(c.diagnostics("common.pfk"), Vec::new());
    // Definition of the template goes to the imported file.
    let (uri, r) = c.definition("site.pfk", 18, 20).expect("the template");
    assert_eq!(uri, c.uri("common.pfk"));
    assert_eq!(r, range(0, 16, 0, 20));
    // And of the import, to the file.
    let (uri, _) = c.definition("site.pfk", 0, 10).expect("the file");
    assert_eq!(uri, c.uri("common.pfk"));
}

#[test]
fn an_imported_file_opened_alone_is_checked_in_the_site_that_imports_it() {
    let mut c = Client::start();
    let common = "template worker team {\n  api = prefect\n  replicaz = 1\n}\n";
    let site = SITE.replace("worker etl {", "worker etl extends team {");
    std::fs::write(
        c.path("site.pfk"),
        format!("import \"common.pfk\"\n\n{site}"),
    )
    .expect("writes");
    // Alone, the template would be unused (W0502) and there would be no
    // site (E0210); in the site, only the typo is wrong.
    c.open("common.pfk", common);
    let got = c.diagnostics("common.pfk");
    assert_eq!(
        got.iter().map(code).collect::<Vec<_>>(),
        ["E0301"],
        "{got:#?}"
    );
    // The site's own diagnostics are published too, though it is not open.
    assert_eq!(c.diagnostics("site.pfk"), Vec::new());
}

#[test]
fn hover_shows_fields_references_and_explanations() {
    let mut c = Client::start();
    let text = SITE.replace(
        "worker etl {",
        "// E0401 is what a mismatched pool type gives\n@allow(\"image/floating-tag\", reason = \"canary\")\nworker etl {",
    );
    c.open("site.pfk", &text);
    c.diagnostics("site.pfk");
    // The field `replicas` (line 21 after the two inserted lines).
    let h = c.hover("site.pfk", 21, 4).expect("hover on a field");
    assert!(h.contains("replicas: Int = 1 where replicas >= 0"), "{h}");
    assert!(h.contains("Worker pods."), "{h}");
    // A nested field: `requests` inside `resources`.
    let h = c
        .hover("site.pfk", 22, 16)
        .expect("hover on a nested field");
    assert!(h.contains("requests"), "{h}");
    assert!(h.contains("field of `Resources`"), "{h}");
    // `api = prefect` names the server.
    let h = c.hover("site.pfk", 20, 14).expect("hover on a reference");
    assert!(h.contains("server prefect {"), "{h}");
    assert!(h.contains("database = sqlite {}"), "{h}");
    // `pool = jobs`: the pool, with its doc comment.
    let h = c
        .hover("site.pfk", 19, 14)
        .expect("hover on a pool reference");
    assert!(h.contains("pool jobs {\n  type = kubernetes\n}"), "{h}");
    assert!(h.contains("Jobs on the cluster."), "{h}");
    // `requests = small`: the let's value.
    let h = c.hover("site.pfk", 22, 27).expect("hover on a let");
    assert!(
        h.contains("let small = {\n  cpu = 100m\n  memory = 128Mi\n}"),
        "{h}"
    );
    // An enum variant.
    let h = c.hover("site.pfk", 13, 10).expect("hover on a variant");
    assert!(h.contains("Flow runs as Kubernetes Jobs."), "{h}");
    // A rule id in `@allow(…)` and a code in a comment: their explanations.
    let h = c.hover("site.pfk", 17, 12).expect("hover on a rule id");
    assert!(h.starts_with("**image/floating-tag**"), "{h}");
    let h = c.hover("site.pfk", 16, 5).expect("hover on a code");
    assert!(h.starts_with("**E0401**"), "{h}");
    assert!(h.contains(prefectc::diagnostics::explanation("E0401").expect("explained")));
    // Nothing under blank space, and positions far past the end clamp.
    assert_eq!(c.hover("site.pfk", 1, 0), None);
    assert_eq!(c.hover("site.pfk", 9999, 9999), None);
}

#[test]
fn completion_offers_fields_variants_references_and_rules() {
    let mut c = Client::start();
    let text = SITE
        .replace("  replicas = 2\n", "  replicas = 2\n  \n")
        .replace("  type = kubernetes", "  type = ")
        .replace("  pool     = jobs", "  pool     = ")
        .replace("site demo {", "@allow(\"\")\nsite demo {");
    // Typed into a site that was analysed whole: the pool that the broken
    // text lost is still offered.
    c.open("site.pfk", SITE);
    assert_eq!(c.diagnostics("site.pfk"), Vec::new());
    c.change("site.pfk", 2, &text);
    // An empty line in the worker: its fields, with their types.
    let fields = c.completions("site.pfk", 21, 2);
    assert!(
        fields.contains(&("replicas".to_string(), Some("Int".to_string()))),
        "{fields:?}"
    );
    assert!(fields.contains(&("pool".to_string(), Some("Ref<Pool> | String".to_string()))));
    assert!(
        !fields.iter().any(|(l, _)| l == "database"),
        "a server field"
    );
    // `type = ` in the pool: the WorkerType variants.
    let variants = c.labels("site.pfk", 14, 9);
    assert!(variants.contains(&"kubernetes".to_string()), "{variants:?}");
    assert!(variants.contains(&"process".to_string()));
    // `pool = ` in the worker: the declared pools.
    let pools = c.labels("site.pfk", 19, 13);
    assert!(pools.contains(&"jobs".to_string()), "{pools:?}");
    assert!(
        !pools.contains(&"prefect".to_string()),
        "a server is no pool"
    );
    // Inside `@allow("`: waivable rule ids only.
    let rules = c.labels("site.pfk", 2, 8);
    assert!(rules.contains(&"pss/run-as-user".to_string()), "{rules:?}");
    assert!(
        !rules.contains(&"pss/privileged".to_string()),
        "cannot be waived"
    );
    // The top level: component kinds and keywords.
    let top = c.labels("site.pfk", 1, 0);
    assert!(
        top.contains(&"worker".to_string()) && top.contains(&"let".to_string()),
        "{top:?}"
    );
}

#[test]
fn definitions_of_references_and_loop_variables() {
    let mut c = Client::start();
    let text = format!(
        "{SITE}\nfor team in [\"a\", \"b\"] {{\n  worker \"w-${{team}}\" {{\n    pool = jobs\n    api = prefect\n  }}\n}}\n"
    );
    c.open("site.pfk", &text);
    c.diagnostics("site.pfk");
    // `api = prefect` → `server prefect`.
    assert_eq!(
        c.definition("site.pfk", 18, 14),
        Some((c.uri("site.pfk"), range(7, 7, 7, 14)))
    );
    // `requests = small` → the let.
    assert_eq!(
        c.definition("site.pfk", 20, 26),
        Some((c.uri("site.pfk"), range(0, 4, 0, 9)))
    );
    // `${team}` → the loop variable.
    assert_eq!(
        c.definition("site.pfk", 24, 14),
        Some((c.uri("site.pfk"), range(23, 4, 23, 8)))
    );
    assert_eq!(c.definition("site.pfk", 1, 0), None);
}

#[test]
fn formatting_returns_the_canonical_text_and_nothing_for_broken_files() {
    let mut c = Client::start();
    let ugly = "site demo {\nnamespace=\"prefect\"\n    prefect = \"3.4.25\" }\n";
    c.open("site.pfk", ugly);
    let doc = json!({ "textDocument": { "uri": c.uri("site.pfk") }, "options": { "tabSize": 2, "insertSpaces": true } });
    let edits: Option<Vec<TextEdit>> = c.request::<Formatting>(doc.clone());
    let edits = edits.expect("edits");
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].range, range(0, 0, 3, 0));
    assert_eq!(edits[0].new_text, prefectc::format(ugly).expect("formats"));
    assert_eq!(
        edits[0].new_text,
        "site demo {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n"
    );

    c.change("site.pfk", 2, "site demo {\n  namespace = \n");
    let edits: Option<Vec<TextEdit>> = c.request::<Formatting>(doc);
    assert_eq!(edits, Some(Vec::new()));
}

#[test]
fn a_broken_document_keeps_its_last_good_analysis() {
    let mut c = Client::start();
    c.open("site.pfk", SITE);
    assert_eq!(c.diagnostics("site.pfk"), Vec::new());
    // The server's block loses its closing brace: the server is no longer
    // in the tree, and the worker is typed into.
    let broken = SITE
        .replace("  database = sqlite {}\n}", "  database = sqlite {}\n")
        .replace("  replicas = 2\n", "  replicas = 2\n  rep\n");
    c.change("site.pfk", 2, &broken);
    let got = c.diagnostics("site.pfk");
    assert!(got.iter().any(|d| code(d).starts_with("E01")), "{got:#?}");
    // Hover on `api = prefect` still finds the server.
    let h = c
        .hover("site.pfk", 18, 14)
        .expect("hover from the last good analysis");
    assert!(h.contains("server prefect"), "{h}");
    // Completion of the half-typed field, and of the pool reference.
    let fields = c.labels("site.pfk", 20, 5);
    assert!(fields.contains(&"replicas".to_string()), "{fields:?}");
    let h = c
        .hover("site.pfk", 17, 14)
        .expect("the pool is still known");
    assert!(h.contains("pool jobs"), "{h}");
    // Fixed again: the diagnostics clear.
    c.change("site.pfk", 3, SITE);
    assert_eq!(c.diagnostics("site.pfk"), Vec::new());
}

#[test]
fn document_symbols_list_declarations_and_fields() {
    let mut c = Client::start();
    c.open("site.pfk", SITE);
    let r =
        c.request::<DocumentSymbolRequest>(json!({ "textDocument": { "uri": c.uri("site.pfk") } }));
    let Some(DocumentSymbolResponse::Nested(symbols)) = r else {
        panic!("nested symbols expected: {r:?}");
    };
    let names: Vec<(&str, Option<&str>)> = symbols
        .iter()
        .map(|s| (s.name.as_str(), s.detail.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("small", Some("let")),
            ("demo", Some("site")),
            ("prefect", Some("server")),
            ("jobs", Some("pool")),
            ("etl", Some("worker")),
        ]
    );
    let worker_fields: Vec<&str> = symbols[4]
        .children
        .iter()
        .flatten()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(worker_fields, ["pool", "api", "replicas", "resources"]);
}

#[test]
fn nonsense_requests_get_answers_not_crashes() {
    let mut c = Client::start();
    // Requests about a document that was never opened.
    assert_eq!(c.hover("nowhere.pfk", 0, 0), None);
    assert_eq!(c.definition("nowhere.pfk", 3, 3), None);
    // Every position of a broken text, hovered and completed.
    let text = "site s {\n  x = \"${é𝄞\n  worker [ @allow(\n";
    c.open("odd.pfk", text);
    for (line, l) in text.lines().enumerate() {
        for ch in 0..(l.chars().count() as u32 + 3) {
            c.hover("odd.pfk", line as u32, ch);
            c.completions("odd.pfk", line as u32, ch);
            c.definition("odd.pfk", line as u32, ch);
        }
    }
    // An unknown method is an error response, and the server goes on.
    c.next_id += 1;
    let id = RequestId::from(c.next_id);
    c.conn
        .sender
        .send(Request::new(id.clone(), "prefectc/unknown".into(), json!({})).into())
        .expect("sends");
    loop {
        match c.conn.receiver.recv_timeout(TIMEOUT).expect("an answer") {
            Message::Response(r) if r.id == id => {
                assert!(r.response_result.is_err());
                break;
            }
            _ => {}
        }
    }
    assert!(!c.diagnostics("odd.pfk").is_empty());
}

/// The binary over stdio, as an editor starts it: the stdlib is written to
/// the cache directory for go-to-definition on a field.
#[test]
fn the_binary_serves_stdio_and_defines_fields_in_the_stdlib() {
    use std::io::BufReader;
    use std::process::{Command, Stdio};
    let cache = tempfile::tempdir().expect("a temporary directory");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let site = dir.path().join("site.pfk");
    std::fs::write(&site, SITE).expect("writes");
    let mut child = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .arg("lsp")
        .env("XDG_CACHE_HOME", cache.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let uri = prefectc::lsp::path_to_uri(&site).expect("a URI");
    let mut send = |m: Message| m.write(&mut stdin).expect("writes");
    let mut recv_response = |id: i32| loop {
        match Message::read(&mut stdout)
            .expect("reads")
            .expect("a message")
        {
            Message::Response(r) if r.id == RequestId::from(id) => {
                return r.response_result.expect("a result");
            }
            _ => {}
        }
    };
    send(Request::new(1.into(), "initialize".into(), json!({ "capabilities": {} })).into());
    recv_response(1);
    send(Notification::new("initialized".into(), json!({})).into());
    send(
        Notification::new(
            "textDocument/didOpen".into(),
            json!({ "textDocument": { "uri": uri, "languageId": "pfk", "version": 1, "text": SITE } }),
        )
        .into(),
    );
    // `replicas` in the worker → its declaration in worker.pfk.
    send(
        Request::new(
            2.into(),
            "textDocument/definition".into(),
            json!({ "textDocument": { "uri": uri }, "position": { "line": 19, "character": 4 } }),
        )
        .into(),
    );
    let loc = recv_response(2);
    let target = loc["uri"].as_str().expect("a URI").to_string();
    let stdlib_dir = cache
        .path()
        .join("prefectc/stdlib")
        .join(env!("CARGO_PKG_VERSION"));
    let worker = stdlib_dir.join("worker.pfk");
    assert_eq!(
        target,
        prefectc::lsp::path_to_uri(&worker).expect("a URI").as_str()
    );
    let written = std::fs::read_to_string(&worker).expect("the stdlib is written");
    let line = loc["range"]["start"]["line"].as_u64().expect("a line") as usize;
    assert!(
        written
            .lines()
            .nth(line)
            .expect("the line")
            .trim_start()
            .starts_with("replicas: Int")
    );
    send(Request::new(3.into(), "shutdown".into(), Value::Null).into());
    recv_response(3);
    send(Notification::new("exit".into(), Value::Null).into());
    drop(stdin);
    let status = child.wait().expect("exits");
    assert!(status.success(), "{status:?}");
}

/// The whole of what an editor shows for a file with several problems: the
/// published diagnostics, and the hover of a field.
#[test]
fn snapshots_of_diagnostics_and_hover() {
    let mut c = Client::start();
    let text = with_typo()
        .replace("  api      = prefect", "  api      = prefekt")
        .replace(
            "  type = kubernetes",
            "  type = kubernetes\n  concurrency = -1",
        );
    c.open("site.pfk", &text);
    let got = c.diagnostics("site.pfk");
    let json = serde_json::to_string_pretty(&got).expect("JSON");
    let json = json.replace(c.uri("site.pfk").as_str(), "file:///site.pfk");
    insta::assert_snapshot!("diagnostics", json);
    let h = c.hover("site.pfk", 21, 6).expect("hover on `resources`");
    insta::assert_snapshot!("hover_resources", h);
}

/// Hover, completion and definition at every position of every example,
/// whole and cut off in the middle: answers, never a failed request.
#[test]
fn every_position_of_the_examples_gets_an_answer() {
    let mut c = Client::start();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let files = [
        examples.join("cloud-workers.pfk"),
        examples.join("legacy-agent.pfk"),
        examples.join("minimal.pfk"),
        examples.join("production.pfk"),
        examples.join("teams/site.pfk"),
    ];
    for (i, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(file).expect("an example");
        let cut = &text[..text.len() / 2];
        for (j, text) in [text.as_str(), cut].into_iter().enumerate() {
            let name = format!("example-{i}-{j}.pfk");
            c.open(&name, text);
            for (line, l) in text.lines().enumerate() {
                for ch in 0..=(l.encode_utf16().count() as u32 + 1) {
                    c.hover(&name, line as u32, ch);
                    c.completions(&name, line as u32, ch);
                    c.definition(&name, line as u32, ch);
                }
            }
        }
    }
}
