//! `prefectc import`: turns the values of one of the official Helm charts
//! into a `.pfk` site (docs/import-mapping.md is the key-by-key mapping).
//!
//! The values are merged as Helm merges them ([`values`]: the chart's
//! defaults embedded here, each `-f` file in order, then `--set` in
//! [`strvals`] syntax), read by typed accessors that remember every key they
//! read ([`reader`]), translated per chart ([`server`], [`worker`]), and
//! printed through `prefectc fmt`. Every key the user set that the site does
//! not carry is a diagnostic at its line and column; a credential is never
//! copied, only referenced as a Secret the user must create.

mod affinity;
mod agent;
mod common;
mod containers;
mod error;
mod exporter;
mod into;
mod job_template;
mod leftovers;
mod pfk;
mod pod;
mod reader;
mod screen;
mod security;
mod server;
mod server_bg;
mod server_db;
mod server_net;
mod service;
pub mod strvals;
mod takeover;
mod tpl;
pub mod values;
mod volumes;
pub(crate) mod waivers;
mod worker;
pub mod yaml;

use std::borrow::Cow;

pub use into::replace_file;
pub use reader::SecretToCreate;
pub use takeover::Recreate;

use crate::diagnostics::{Diagnostic, IntoDiagnostic};
use crate::source::{FileId, SourceMap, Span};
use error::Problem;
use reader::Reader;
use values::{Node, Nulls, Value};

/// A chart `prefectc import` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    Server,
    Worker,
    Exporter,
    Agent,
}

impl Chart {
    /// The chart by its name (`prefect-server`, …).
    pub fn parse(name: &str) -> Option<Chart> {
        match name {
            "prefect-server" => Some(Chart::Server),
            "prefect-worker" => Some(Chart::Worker),
            "prometheus-prefect-exporter" => Some(Chart::Exporter),
            "prefect-agent" => Some(Chart::Agent),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Chart::Server => "prefect-server",
            Chart::Worker => "prefect-worker",
            Chart::Exporter => "prometheus-prefect-exporter",
            Chart::Agent => "prefect-agent",
        }
    }

    /// The release name when `--release` is not given: the one the charts'
    /// own documentation installs with.
    pub fn default_release(self) -> &'static str {
        match self {
            Chart::Server => "prefect",
            Chart::Worker => "prefect-worker",
            Chart::Exporter => "prometheus-prefect-exporter",
            Chart::Agent => "prefect-agent",
        }
    }

    /// The chart's `values.yaml`, embedded.
    fn defaults(self) -> &'static str {
        match self {
            Chart::Server => include_str!("charts/prefect-server.yaml"),
            Chart::Worker => include_str!("charts/prefect-worker.yaml"),
            Chart::Exporter => include_str!("charts/prometheus-prefect-exporter.yaml"),
            Chart::Agent => include_str!("charts/prefect-agent.yaml"),
        }
    }

    /// The component kind in `.pfk`.
    fn kind(self) -> &'static str {
        match self {
            Chart::Server => "server",
            Chart::Worker => "worker",
            Chart::Exporter => "exporter",
            Chart::Agent => "agent",
        }
    }
}

/// What to import.
#[derive(Debug, Clone)]
pub struct Request {
    pub chart: Chart,
    /// The `-f` files in order: (name shown in diagnostics, text).
    pub files: Vec<(String, String)>,
    /// The `--set` arguments in order.
    pub sets: Vec<String>,
    /// The Helm release name (`--release`).
    pub release: String,
    /// The release namespace (`--namespace`).
    pub namespace: String,
    /// `--prefect X.Y.Z`.
    pub prefect: Option<String>,
    /// `--into SITE.pfk`: (name shown in diagnostics, text). The site
    /// printed is then this file with the release's component added.
    pub into: Option<(String, String)>,
}

/// The outcome: the site text when there was no error, the diagnostics
/// over the (credential-masked) values files, and the Secrets to create.
pub struct Imported {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub site: Option<String>,
    pub secrets: Vec<SecretToCreate>,
    /// The namespace of the site, for the printed commands.
    pub namespace: String,
    /// The release's objects to delete before `kubectl apply` takes over.
    pub recreate: Vec<Recreate>,
}

impl Imported {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The `kubectl delete` commands of a takeover, with what each is for.
    pub fn takeover_commands(&self) -> String {
        takeover::commands(&self.recreate, &self.namespace)
    }

    /// The `kubectl create secret` commands, one per Secret, with a
    /// placeholder (or a `yq` read of the values file) for each value.
    pub fn kubectl_commands(&self, files: &[String]) -> String {
        let mut out = String::new();
        let mut by_name: Vec<(&str, Vec<&SecretToCreate>)> = Vec::new();
        for s in &self.secrets {
            match by_name.iter_mut().find(|(n, _)| *n == s.name) {
                Some((_, list)) => list.push(s),
                None => by_name.push((&s.name, vec![s])),
            }
        }
        for (name, keys) in by_name {
            for k in &keys {
                out.push_str(&format!("# {}\n", k.note));
            }
            out.push_str(&format!(
                "kubectl create secret generic {name} --namespace {}",
                self.namespace
            ));
            for k in keys {
                let value = match (&k.from, files.last()) {
                    (Some(path), Some(file)) => format!("\"$(yq '.{path}' {})\"", shell_word(file)),
                    _ => format!("'<{}>'", k.key),
                };
                out.push_str(&format!(" \\\n  --from-literal={}={value}", k.key));
            }
            out.push('\n');
        }
        out
    }
}

/// A file name as one shell word.
fn shell_word(s: &str) -> String {
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._/-".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The most bytes of values `import` reads (all files and `--set` together).
pub const MAX_VALUES_BYTES: usize = 8 << 20;

/// Imports the values of `request.chart`.
pub fn import(request: &Request) -> Imported {
    let set_text: String = request.sets.iter().map(|s| format!("{s}\n")).collect();
    let mut texts: Vec<(String, String)> = request.files.clone();
    if texts.is_empty() {
        // Diagnostics about chart defaults point at the top of a file.
        texts.push(("<no values file>".to_string(), String::new()));
    }
    let set_file = FileId(texts.len() as u32);
    if !request.sets.is_empty() {
        texts.push(("<--set>".to_string(), set_text));
    }
    let mut problems = Vec::new();
    let mut masked = Vec::new();
    let user = read_user_values(request, &texts, set_file, &mut problems, &mut masked);
    let mut into_site = None;
    if let Some((name, text)) = &request.into {
        let file = FileId(texts.len() as u32);
        texts.push((name.clone(), text.clone()));
        match into::read(file, text) {
            Ok(site) => into_site = Some(site),
            Err(p) => problems.push(p),
        }
    }
    // The chart's defaults are no file of the import's (the largest id a
    // file may have: `source::Anchor`).
    let defaults = yaml::parse(FileId(i32::MAX as u32), request.chart.defaults())
        .map(values::as_defaults)
        .unwrap_or_else(|_| Node::new(Value::Map(Vec::new()), None));
    let mut site = None;
    let mut secrets = Vec::new();
    let mut namespace = request.namespace.clone();
    let mut recreate = Vec::new();
    if problems.is_empty() {
        let mut merged = defaults.clone();
        values::merge(&mut merged, user, Nulls::Delete);
        let mut r = Reader::new(&merged, Some(Span::new(FileId(0), 0, 0)));
        r.release = tpl::Release {
            name: request.release.clone(),
            namespace: request.namespace.clone(),
        };
        leftovers::check_shapes(&mut r, &defaults);
        let out = if r.problems.is_empty() {
            let out = translate(request, &mut r, into_site.as_ref());
            leftovers::report(&mut r, &defaults, request.chart);
            out
        } else {
            None
        };
        problems.append(&mut r.problems);
        secrets = r.secrets;
        masked.append(&mut r.masked);
        if let Some((ns, text, objects)) = out {
            namespace = ns;
            site = Some(text);
            recreate = objects;
        }
    }
    let sources = masked_sources(texts, &masked);
    let diagnostics: Vec<Diagnostic> = crate::diagnostics::Diagnostics(
        problems
            .into_iter()
            .map(IntoDiagnostic::into_diagnostic)
            .collect(),
    )
    .sorted()
    .0;
    if diagnostics.iter().any(Diagnostic::is_error) {
        site = None;
    }
    Imported {
        sources,
        diagnostics,
        site,
        secrets,
        namespace,
        recreate,
    }
}

/// The `-f` files merged in order, then `--set`.
fn read_user_values(
    request: &Request,
    texts: &[(String, String)],
    set_file: FileId,
    problems: &mut Vec<Problem>,
    masked: &mut Vec<(Span, String)>,
) -> Node {
    let mut user = Node::new(Value::Map(Vec::new()), None);
    let total: usize = texts.iter().map(|(_, t)| t.len()).sum();
    if total > MAX_VALUES_BYTES {
        problems.push(Problem::Syntax {
            span: Span::new(FileId(0), 0, 0),
            message: format!("the values are larger than {} MiB", MAX_VALUES_BYTES >> 20),
        });
        return user;
    }
    for (i, (_, text)) in request.files.iter().enumerate() {
        match yaml::parse(FileId(i as u32), text) {
            Ok(doc) => values::merge(&mut user, doc, Nulls::Keep),
            Err(e) => problems.push(Problem::Syntax {
                span: e.span,
                message: e.message,
            }),
        }
    }
    let mut offset = 0;
    for arg in &request.sets {
        for (e, value) in strvals::apply(&mut user, set_file, offset, arg) {
            masked.push((value, String::new()));
            problems.push(Problem::Syntax {
                span: e.span,
                message: e.message,
            });
        }
        offset += arg.len() + 1;
    }
    masked.extend(credential_masks(&user, request.chart));
    user
}

/// The keys of each chart that hold a credential in plain text.
const CREDENTIAL_KEYS: &[(Chart, &str)] = &[
    (Chart::Server, "server.basicAuth.authString"),
    (Chart::Server, "externalDatabase.connectionString"),
    (Chart::Server, "externalDatabase.password"),
    (Chart::Server, "secret.password"),
    (Chart::Server, "postgresql.auth.password"),
    (Chart::Server, "postgresql.auth.postgresPassword"),
    (Chart::Server, "redis.auth.password"),
    (Chart::Server, "backgroundServices.messaging.redis.password"),
    (Chart::Server, "backgroundServices.messaging.docket.url"),
    (
        Chart::Worker,
        "worker.selfHostedServerApiConfig.basicAuth.authString",
    ),
    (Chart::Exporter, "basicAuth.authString"),
];

/// Every credential the user wrote, read or not, to mask: a snippet of a
/// diagnostic on a neighbouring line must not show it.
fn credential_masks(user: &Node, chart: Chart) -> Vec<(Span, String)> {
    CREDENTIAL_KEYS
        .iter()
        .filter(|(c, _)| *c == chart)
        .filter_map(|(_, path)| user.at(path))
        .filter_map(|node| Some((node.span?, common::scalar_text(node).unwrap_or_default())))
        .collect()
}

/// The chart's translation: the site's namespace and its `.pfk` text.
fn translate(
    request: &Request,
    r: &mut Reader,
    into: Option<&into::Site>,
) -> Option<(String, String, Vec<Recreate>)> {
    let prefect = request.prefect.as_deref();
    let (release, ns) = (request.release.as_str(), request.namespace.as_str());
    let mut imported = match request.chart {
        Chart::Server => server::import(r, release, ns, prefect),
        Chart::Worker => worker::import(r, release, ns, prefect),
        Chart::Exporter => exporter::import(r, release, ns, prefect),
        Chart::Agent => agent::import(r, release, ns, prefect),
    }?;
    // No credential reaches the site, whatever key it came through.
    let mut site_block = imported.site.block();
    screen::screen(&mut site_block, r, &imported.name);
    screen::screen(&mut imported.block, r, &imported.name);
    let site_name = site_name(&imported.site.namespace);
    let mut head = pfk::declaration("site", &site_name, &site_block);
    head.push('\n');
    let component = pfk::declaration(request.chart.kind(), &imported.name, &imported.block);
    let plain = formatted(r, &format!("{head}{component}"))?;
    // With `--into`, the release joins a site with a profile, settings and
    // neighbours of its own: its findings are judged there, and only its own.
    let base = into.map(|site| {
        into::link_api(site, &imported.site.namespace, &mut imported.block);
        match request.chart {
            Chart::Server => into::link_clients(site, &imported.name, &imported.site.namespace).0,
            _ => site.text.clone(),
        }
    });
    let component = pfk::declaration(request.chart.kind(), &imported.name, &imported.block);
    let judged = match &base {
        Some(base) => formatted(r, &into::appended(base, &component))?,
        None => plain.clone(),
    };
    let header = format!("{} {} {{", request.chart.kind(), imported.name);
    let from = if base.is_some() {
        judged.rfind(&header).unwrap_or(judged.len())
    } else {
        0
    };
    let judged_build = waivers::build(&judged);
    let ids = waivers::findings(&judged_build, from);
    let mut alone = plain;
    let mut allow = String::new();
    if !ids.is_empty() {
        let keys: &[(&str, &str)] = match request.chart {
            Chart::Worker => &[
                ("rbac/", "role.extraPermissions"),
                ("", "worker.config.baseJobTemplate.configuration"),
            ],
            _ => &[],
        };
        waivers::report(r, &ids, &imported.name, keys);
        allow = waivers::allow(&ids);
        alone = formatted(r, &format!("{head}{allow}{component}"))?;
    }
    // The release alone, for the takeover list: built again only when it
    // differs from what was judged.
    let built = if base.is_none() && ids.is_empty() {
        judged_build
    } else {
        waivers::build(&alone)
    };
    let objects = built.objects.as_deref().unwrap_or_default();
    let recreate = takeover::recreate(request.chart, r, release, &imported.name, objects);
    let (Some(site), Some(base)) = (into, base) else {
        return Some((imported.site.namespace, alone, recreate));
    };
    let conflicts = into::conflicts(
        site,
        &imported.site.namespace,
        &imported.site.prefect,
        &imported.name,
    );
    if !conflicts.is_empty() {
        r.problems.extend(conflicts);
        return None;
    }
    let text = into::appended(&base, &format!("{allow}{component}"));
    Some((imported.site.namespace, formatted(r, &text)?, recreate))
}

/// `text` through `prefectc fmt`; a text that does not parse is a bug here.
fn formatted(r: &mut Reader, text: &str) -> Option<String> {
    match crate::fmt::format(text) {
        Ok(formatted) => Some(formatted),
        Err(_) => {
            r.refuse(
                "",
                "the importer wrote a site that does not parse (a bug in prefectc import)",
                "report it with the values that caused it",
            );
            None
        }
    }
}

/// The site is named after its namespace (`app.kubernetes.io/part-of`).
fn site_name(namespace: &str) -> String {
    let name: String = namespace
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    match name.chars().next() {
        Some(c) if c.is_ascii_lowercase() => name.to_string(),
        Some(_) => format!("site-{name}"),
        None => "site".to_string(),
    }
}

/// The user's files in a source map, every credential replaced by `*`s:
/// its own span, and every other occurrence of its text (a snippet of a
/// neighbouring diagnostic must not show it either).
fn masked_sources(texts: Vec<(String, String)>, masked: &[(Span, String)]) -> SourceMap {
    let mut sources = SourceMap::default();
    for (i, (name, text)) in texts.into_iter().enumerate() {
        let mut bytes = text.into_bytes();
        for (span, value) in masked
            .iter()
            .filter(|(s, _)| s.anchor.file().is_some_and(|f| f.0 as usize == i))
        {
            let end = (span.end as usize).min(bytes.len());
            for b in &mut bytes[(span.start as usize).min(end)..end] {
                *b = b'*';
            }
            for line in value.lines().map(str::trim).filter(|l| l.len() >= 3) {
                mask_all(&mut bytes, line.as_bytes());
            }
        }
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        sources.add(name, Cow::Owned(text));
    }
    sources
}

/// Replaces every occurrence of `needle` in `hay` by `*`s.
fn mask_all(hay: &mut [u8], needle: &[u8]) {
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if &hay[i..i + needle.len()] == needle {
            for b in &mut hay[i..i + needle.len()] {
                *b = b'*';
            }
            i += needle.len();
        } else {
            i += 1;
        }
    }
}
