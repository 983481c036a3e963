//! `prefectc lsp`: a language server over stdio. It adds no analysis of its
//! own: diagnostics are [`crate::build`]'s, formatting is
//! [`crate::format`]'s, and hover, completion and definitions read the
//! build's trees and the stdlib schemas.
//!
//! Each open file is checked as part of a root: the file whose last build
//! imported it, or a site near it on disk that imports it, or else the file
//! itself, so that a file shared through `import` is checked in the site
//! that uses it. Imports are read from the
//! editor's buffers when open, else from disk. Diagnostics go to the file
//! they are in; a file that has none gets an empty list, which clears it.
//!
//! While a file does not parse, its last build without syntax errors is kept
//! beside the new one: names the broken text lost are still found there.

mod analysis;
mod complete;
mod context;
mod convert;
mod definition;
mod hover;
mod stdlib_files;
mod symbol;
mod symbols;
mod transport;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, ProtocolError, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Exit,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    Request as _, Shutdown,
};
use lsp_types::{
    CodeActionOrCommand, CodeActionProviderCapability, CompletionOptions, CompletionResponse,
    DocumentSymbolResponse, GotoDefinitionResponse, HoverProviderCapability, OneOf, Position,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, TextDocumentContentChangeEvent,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit,
};

pub use analysis::{Analysis, Documents};
pub use convert::{LineIndex, path_to_uri, uri_to_path};

use crate::Kept;
use crate::limits::Limits;
use symbol::At;

/// Serves the protocol on stdin and stdout until the client exits.
pub fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    transport::stdio(serve)?;
    Ok(())
}

/// What the server offers: full-text sync, hover, completion, definitions,
/// document symbols, formatting and quick fixes (the diagnostics'
/// suggestions).
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["(".into(), "\"".into(), "=".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// Serves one client on `connection` (the initialize handshake included)
/// until it sends `shutdown` and `exit`, or goes away.
pub fn serve(connection: &Connection) -> Result<(), ProtocolError> {
    let (id, params) = connection.initialize_start()?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "prefectc", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    let limits = match limits_asked(&params) {
        Ok(limits) => limits,
        Err(why) => {
            let message = serde_json::json!({ "type": 1, "message": why });
            let shown = Notification::new("window/showMessage".into(), message);
            let _ = connection.sender.send(shown.into());
            Limits::default()
        }
    };
    let mut server = Server {
        connection,
        documents: Documents::default(),
        roots: HashMap::new(),
        owner: HashMap::new(),
        dirty: BTreeSet::new(),
        kept: HashMap::new(),
        limits,
    };
    while let Ok(message) = connection.receiver.recv() {
        match message {
            Message::Request(req) => {
                if req.method == Shutdown::METHOD {
                    server.send(Response::new_ok(req.id, ()).into());
                    return after_shutdown(connection);
                }
                server.analyse_dirty(Wait::Finish);
                let id = req.id.clone();
                let response = catch_unwind(AssertUnwindSafe(|| server.request(req)))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            "prefectc failed on this request (a bug)".into(),
                        )
                    });
                server.send(response.into());
            }
            Message::Notification(n) if n.method == Exit::METHOD => return Ok(()),
            Message::Notification(n) => {
                if catch_unwind(AssertUnwindSafe(|| server.notification(n))).is_err() {
                    eprintln!("prefectc lsp: a notification failed (a bug)");
                }
            }
            Message::Response(_) => {}
        }
        // Edits that arrive together are analysed once, after the last.
        if connection.receiver.is_empty() {
            server.analyse_dirty(Wait::GiveUp);
        }
    }
    Ok(())
}

/// The limits of the client's `initializationOptions`: `maxComponents`
/// is the command line's `--max-components` (docs/editors.md), so that an
/// editor checks a site as CI builds it. Without it, the defaults; a value
/// that is no number of components is refused (the caller shows why, and
/// keeps the defaults).
fn limits_asked(params: &serde_json::Value) -> Result<Limits, String> {
    let asked = &params["initializationOptions"]["maxComponents"];
    if asked.is_null() {
        return Ok(Limits::default());
    }
    let text = match asked {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    crate::limits::parse_max_components(&text)
        .map(Limits::with_components)
        .map_err(|why| format!("prefectc: initializationOptions.maxComponents: {why}"))
}

/// After `shutdown` only `exit` is expected; a client that closes the
/// stream instead is done too.
fn after_shutdown(connection: &Connection) -> Result<(), ProtocolError> {
    while let Ok(message) = connection.receiver.recv() {
        match message {
            Message::Notification(n) if n.method == Exit::METHOD => return Ok(()),
            Message::Request(req) => {
                let refused = Response::new_err(
                    req.id,
                    ErrorCode::InvalidRequest as i32,
                    "the server is shut down".into(),
                );
                let _ = connection.sender.send(refused.into());
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether an analysis finishes whatever arrives meanwhile.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// A request waits for it.
    Finish,
    /// Nothing waits: give it up when another message arrives.
    GiveUp,
}

/// The analyses of one root file.
struct Root {
    current: Analysis,
    /// The newest analysis without syntax errors, when `current` has some.
    last_good: Option<Analysis>,
    /// The files this root published diagnostics for.
    published: HashSet<PathBuf>,
}

struct Server<'c> {
    connection: &'c Connection,
    documents: Documents,
    roots: HashMap<PathBuf, Root>,
    /// The root whose build includes a file.
    owner: HashMap<PathBuf, PathBuf>,
    /// Roots to analyse before the next request or when the queue is empty.
    dirty: BTreeSet<PathBuf>,
    /// What each root's last analysis kept for its next.
    kept: HashMap<PathBuf, Kept>,
    /// The budgets of evaluation the client asked for ([`limits_asked`]).
    limits: Limits,
}

impl Server<'_> {
    fn send(&self, message: Message) {
        // The client is gone: the receive loop ends on its own.
        let _ = self.connection.sender.send(message);
    }

    fn root_of(&self, path: &Path) -> PathBuf {
        match self.owner.get(path) {
            Some(root) if self.documents.get(root).is_some() || root.is_file() => root.clone(),
            _ => path.to_path_buf(),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return;
                };
                let path = uri_to_path(&p.text_document.uri);
                self.documents
                    .open(path.clone(), p.text_document.uri, p.text_document.text);
                if !self.owner.contains_key(&path)
                    && !stdlib_files::contains(&path)
                    && let Some(root) = analysis::find_root(&path, &self.documents)
                {
                    self.owner.insert(path.clone(), root);
                }
                self.touch(&path);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return;
                };
                let path = uri_to_path(&p.text_document.uri);
                let Some(doc) = self.documents.get(&path) else {
                    return;
                };
                let mut text = doc.text.clone();
                for change in p.content_changes {
                    apply(&mut text, change);
                }
                self.documents.change(&path, text);
                self.touch(&path);
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                {
                    self.touch(&uri_to_path(&p.text_document.uri));
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    let path = uri_to_path(&p.text_document.uri);
                    self.documents.close(&path);
                    self.touch(&path);
                }
            }
            _ => {}
        }
    }

    /// Marks the root of a file for analysis.
    fn touch(&mut self, path: &Path) {
        if stdlib_files::contains(path) {
            return;
        }
        let root = self.root_of(path);
        self.dirty.insert(root);
    }

    /// Whether a root still has a reason to be analysed: it, or a file its
    /// build includes, is open.
    fn wanted(&self, root: &Path) -> bool {
        self.documents.get(root).is_some()
            || self
                .documents
                .paths()
                .any(|p| self.owner.get(p).is_some_and(|r| r == root))
    }

    /// Analyses the roots edited since their last analysis. Unless a
    /// request waits for the result (`Wait::Finish`), an analysis is given
    /// up between two stages as soon as another message is queued: an edit
    /// would make it stale, and a request is answered sooner; the root stays
    /// dirty and is analysed again once the queue is empty.
    fn analyse_dirty(&mut self, wait: Wait) {
        let mut roots = std::mem::take(&mut self.dirty).into_iter();
        while let Some(root) = roots.next() {
            if !self.wanted(&root) {
                self.drop_root(&root);
                continue;
            }
            let receiver = &self.connection.receiver;
            let superseded = || wait == Wait::GiveUp && !receiver.is_empty();
            let kept = self.kept.entry(root.clone()).or_default();
            let analysed = catch_unwind(AssertUnwindSafe(|| {
                Analysis::run_within(&root, &self.documents, self.limits, Some(kept), &superseded)
            }));
            match analysed {
                Ok(Ok(a)) => self.publish(root, a),
                Ok(Err(_given_up)) => {
                    self.dirty.insert(root);
                    self.dirty.extend(roots);
                    return;
                }
                Err(_) => {
                    self.kept.remove(&root);
                    eprintln!("prefectc lsp: analysing {} failed (a bug)", root.display());
                }
            }
        }
    }

    fn publish_to(&self, path: &Path, diagnostics: Vec<lsp_types::Diagnostic>) {
        let Some(uri) = self.documents.uri(path) else {
            return;
        };
        let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params).into());
    }

    fn publish(&mut self, root: PathBuf, analysis: Analysis) {
        let mut published = HashSet::new();
        for (path, diagnostics) in analysis.diagnostics(&self.documents) {
            self.publish_to(&path, diagnostics);
            self.owner.insert(path.clone(), root.clone());
            published.insert(path);
        }
        // Files that were roots of their own are part of this build now.
        let absorbed: Vec<PathBuf> = published
            .iter()
            .filter(|p| **p != root && self.roots.contains_key(*p))
            .cloned()
            .collect();
        for p in absorbed {
            self.kept.remove(&p);
            if let Some(old) = self.roots.remove(&p) {
                self.clear(&old.published, &published);
            }
        }
        let old = self.roots.remove(&root);
        if let Some(old) = &old {
            self.clear(&old.published, &published);
        }
        let last_good = match old {
            _ if analysis.parsed_cleanly() => None,
            Some(old) if old.current.parsed_cleanly() => Some(old.current),
            Some(old) => old.last_good,
            None => None,
        };
        self.roots.insert(
            root,
            Root {
                current: analysis,
                last_good,
                published,
            },
        );
    }

    /// Publishes empty lists for the files in `old` that are not in `now`.
    fn clear(&mut self, old: &HashSet<PathBuf>, now: &HashSet<PathBuf>) {
        for p in old.difference(now) {
            self.publish_to(p, Vec::new());
            if !self.roots.values().any(|r| r.published.contains(p)) {
                self.owner.remove(p);
            }
        }
    }

    fn drop_root(&mut self, root: &Path) {
        self.kept.remove(root);
        if let Some(old) = self.roots.remove(root) {
            self.clear(&old.published, &HashSet::new());
        }
        self.owner.retain(|_, r| r != root);
    }

    /// The analyses that include a file, newest first.
    fn analyses(&self, path: &Path) -> Vec<&Analysis> {
        let root = self.root_of(path);
        self.roots
            .get(&root)
            .map(|r| std::iter::once(&r.current).chain(&r.last_good).collect())
            .unwrap_or_default()
    }

    fn at<'a>(&'a self, path: &'a Path, position: Position) -> Option<At<'a>> {
        let text = &self.documents.get(path)?.text;
        Some(At {
            path,
            text,
            offset: LineIndex::new(text).offset(position),
            analyses: self.analyses(path),
            types: &crate::stdlib().types,
        })
    }

    fn request(&self, req: Request) -> Response {
        match req.method.as_str() {
            HoverRequest::METHOD => self.handle::<HoverRequest>(req, |s, p| {
                let path = uri_to_path(&p.text_document_position_params.text_document.uri);
                let at = s.at(&path, p.text_document_position_params.position)?;
                hover::hover(&at)
            }),
            Completion::METHOD => self.handle::<Completion>(req, |s, p| {
                let path = uri_to_path(&p.text_document_position.text_document.uri);
                let at = s.at(&path, p.text_document_position.position)?;
                Some(CompletionResponse::Array(complete::complete(&at)))
            }),
            GotoDefinition::METHOD => self.handle::<GotoDefinition>(req, |s, p| {
                let path = uri_to_path(&p.text_document_position_params.text_document.uri);
                let at = s.at(&path, p.text_document_position_params.position)?;
                definition::definition(&at, &s.documents).map(GotoDefinitionResponse::Scalar)
            }),
            DocumentSymbolRequest::METHOD => self.handle::<DocumentSymbolRequest>(req, |s, p| {
                let path = uri_to_path(&p.text_document.uri);
                let analysis = s.analyses(&path).into_iter().next()?;
                let file = analysis.file(&path)?;
                let list = symbols::symbols(analysis.ast(file)?, analysis.text(file), &|s| {
                    analysis.place(s)
                });
                Some(DocumentSymbolResponse::Nested(list))
            }),
            CodeActionRequest::METHOD => self.handle::<CodeActionRequest>(req, |_, p| {
                let fixes: Vec<CodeActionOrCommand> = p
                    .context
                    .diagnostics
                    .iter()
                    .filter_map(convert::quick_fix)
                    .map(CodeActionOrCommand::CodeAction)
                    .collect();
                Some(fixes)
            }),
            Formatting::METHOD => self.handle::<Formatting>(req, |s, p| {
                let path = uri_to_path(&p.text_document.uri);
                Some(format_edits(&s.documents.get(&path)?.text))
            }),
            _ => Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("prefectc does not handle `{}`", req.method),
            ),
        }
    }

    /// Answers a request of type `R` with `f`, or with an error when its
    /// parameters do not fit.
    fn handle<R: lsp_types::request::Request>(
        &self,
        req: Request,
        f: impl FnOnce(&Self, R::Params) -> R::Result,
    ) -> Response {
        let id = req.id.clone();
        match req.extract::<R::Params>(R::METHOD) {
            Ok((id, params)) => Response::new_ok(id, f(self, params)),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, format!("{e:?}")),
        }
    }
}

/// One edit replacing the whole text with its canonical layout; none when
/// it is already canonical or does not parse (the syntax error is among
/// the diagnostics already).
pub fn format_edits(text: &str) -> Vec<TextEdit> {
    match crate::format(text) {
        Ok(formatted) if formatted != text => {
            vec![TextEdit::new(LineIndex::new(text).full_range(), formatted)]
        }
        Ok(_) => Vec::new(),
        Err(crate::FormatError::Syntax(_)) => Vec::new(),
        Err(crate::FormatError::Internal(why)) => {
            eprintln!("prefectc lsp: formatting left the file as it was: {why} (a bug)");
            Vec::new()
        }
    }
}

/// Applies one change: the whole text, or a range of it.
fn apply(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let index = LineIndex::new(text);
            let start = index.offset(range.start);
            let end = index.offset(range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}
