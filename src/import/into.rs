//! `prefectc import … --into SITE.pfk`: the release's component added to an
//! existing site, so that the four releases of an installation become one
//! site. The site's namespace and Prefect release must be the release's; a
//! component name may not be taken twice; a client whose API URL is the
//! in-cluster Service of a server of the site becomes `api = <server>`.
//! The result is the user's text with the component appended, laid out by
//! `prefectc fmt` (which keeps comments).

use crate::source::{FileId, Span};
use crate::syntax::ast::{CompName, DeclKind, Entry, ExprKind};

use super::error::Problem;
use super::pfk::{Block, Pfk};

/// A string field of the site block, and where its value is.
type Field = Option<(String, Span)>;

/// What the import needs to know of the site file.
pub struct Site {
    pub file: FileId,
    pub text: String,
    /// `site NAME { … }`: its span, and its `namespace` and `prefect`.
    pub site: Option<(Span, Field, Field)>,
    /// Every component but the site: kind, name, name's span.
    pub components: Vec<(String, String, Span)>,
    /// The `api = self-hosted { url = "…" }` values of the components:
    /// the value's span and the URL.
    pub self_hosted: Vec<(Span, String)>,
}

/// Reads the site file; a file that does not parse is E0705 at its error.
pub fn read(file: FileId, text: &str) -> Result<Site, Problem> {
    let (ast, diags) = crate::syntax::parse(file, text);
    if let Some(d) = diags.0.iter().find(|d| d.is_error()) {
        return Err(Problem::Into {
            span: d.primary.span,
            why: format!("the site file does not parse: {}", d.message),
            help: "fix it (`prefectc check` shows every error) and import again".to_string(),
        });
    }
    let mut site = Site {
        file,
        text: text.to_string(),
        site: None,
        components: Vec::new(),
        self_hosted: Vec::new(),
    };
    for decl in &ast.decls {
        let DeclKind::Component(c) = &decl.kind else {
            continue;
        };
        let name = match &c.name {
            CompName::Ident(i) => i.name.clone(),
            CompName::Str(s) => s.as_plain().unwrap_or_default(),
        };
        if c.kind.name == "site" {
            let field = |key: &str| string_field(&c.body.entries, key);
            site.site = Some((c.name.span(), field("namespace"), field("prefect")));
        } else {
            site.components
                .push((c.kind.name.clone(), name, c.name.span()));
            site.self_hosted.extend(self_hosted_url(&c.body.entries));
        }
    }
    Ok(site)
}

/// `api = self-hosted { url = "…" }`: the value's span and the URL.
fn self_hosted_url(entries: &[Entry]) -> Option<(Span, String)> {
    let api = entries.iter().find(|e| e.key.name == "api")?;
    let ExprKind::Tagged { tag, body } = &api.value.kind else {
        return None;
    };
    if tag.len() != 1 || tag[0].name != "self-hosted" {
        return None;
    }
    let (url, _) = string_field(&body.entries, "url")?;
    Some((api.value.span, url))
}

fn string_field(entries: &[Entry], key: &str) -> Field {
    entries
        .iter()
        .find(|e| e.key.name == key)
        .and_then(|e| match &e.value.kind {
            ExprKind::Str(s) => Some((s.as_plain()?, s.span)),
            _ => None,
        })
}

/// Problems adding component `name` (of a release in `namespace`, pinning
/// `prefect`) to `site`: each at the site's field or name it disagrees with.
pub fn conflicts(site: &Site, namespace: &str, prefect: &str, name: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let Some((site_at, ns, pin)) = &site.site else {
        out.push(Problem::Into {
            span: Span::new(site.file, 0, 0),
            why: "the file has no `site` block".to_string(),
            help: "import into the file the first import printed, or write `site NAME { namespace = \"…\", prefect = \"X.Y.Z\" }` first".to_string(),
        });
        return out;
    };
    match ns {
        Some((ns, at)) if ns != namespace => out.push(Problem::Into {
            span: *at,
            why: format!("the site's namespace is `{ns}`; the release's is `{namespace}`"),
            help: format!("import with `--namespace {ns}` when the release runs there, or into a site of namespace `{namespace}`"),
        }),
        None => out.push(Problem::Into {
            span: *site_at,
            why: "the site names no namespace".to_string(),
            help: format!("write `namespace = \"{namespace}\"` in the site block"),
        }),
        _ => {}
    }
    match pin {
        Some((pin, at)) if pin != prefect => out.push(Problem::Into {
            span: *at,
            why: format!("the site pins Prefect {pin}; the release runs {prefect}"),
            help: format!("upgrade one of them first: a site runs one Prefect release (`--prefect {pin}` when the release's tag floats)"),
        }),
        None => out.push(Problem::Into {
            span: *site_at,
            why: "the site pins no Prefect release".to_string(),
            help: format!("write `prefect = \"{prefect}\"` in the site block"),
        }),
        _ => {}
    }
    if let Some((kind, _, at)) = site.components.iter().find(|(_, n, _)| n == name) {
        out.push(Problem::Into {
            span: *at,
            why: format!("the site already has a component named `{name}` (a {kind})"),
            help: "import with another `--release`, or rename the component in the site"
                .to_string(),
        });
    }
    out
}

/// `api = self-hosted { url = … }` naming the Service of a server of the
/// site becomes `api = <server>`: the server's name, in the site's namespace.
pub fn link_api(site: &Site, namespace: &str, block: &mut Block) -> Option<String> {
    let (_, value) = block.0.iter_mut().find(|(k, _)| k == "api")?;
    let Pfk::Variant(tag, fields) = value else {
        return None;
    };
    if tag != "self-hosted" {
        return None;
    }
    let url = fields.0.iter().find_map(|(k, v)| match (k.as_str(), v) {
        ("url", Pfk::Str(u)) => Some(u.clone()),
        _ => None,
    })?;
    let server = site
        .components
        .iter()
        .filter(|(kind, _, _)| kind == "server")
        .map(|(_, n, _)| n)
        .find(|n| serves(n, namespace, &url))?
        .clone();
    *value = Pfk::Raw(server.clone());
    Some(server)
}

/// Whether `url` is the in-cluster Service URL of server `name`.
fn serves(name: &str, namespace: &str, url: &str) -> bool {
    let Some(host) = service_host(url) else {
        return false;
    };
    [
        name.to_string(),
        format!("{name}.{namespace}"),
        format!("{name}.{namespace}.svc"),
        format!("{name}.{namespace}.svc.cluster.local"),
    ]
    .contains(&host)
}

/// The site's text with every client's `api = self-hosted { url = … }`
/// that names server `name`'s Service replaced by `api = <name>`, and how
/// many were.
pub fn link_clients(site: &Site, name: &str, namespace: &str) -> (String, usize) {
    let mut text = site.text.clone();
    let mut spans: Vec<Span> = site
        .self_hosted
        .iter()
        .filter(|(_, url)| serves(name, namespace, url))
        .map(|(span, _)| *span)
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.start));
    let mut linked = 0;
    for span in spans {
        let (start, end) = (span.start as usize, span.end as usize);
        if start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
        {
            text.replace_range(start..end, name);
            linked += 1;
        }
    }
    (text, linked)
}

/// The host of an `http://host[:port]/…` URL.
fn service_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let authority = rest.split('/').next()?;
    let host = authority.split(':').next()?;
    Some(host.trim_end_matches('.').to_ascii_lowercase())
}

/// `text` (the site's, possibly relinked) with `component` appended.
pub fn appended(text: &str, component: &str) -> String {
    let mut text = text.trim_end().to_string();
    text.push_str("\n\n");
    text.push_str(component);
    text
}

/// Writes `text` to a temporary file beside `path`, then renames it over
/// `path`: the user's file is either the old one or the new one, never a
/// partial write.
pub fn replace_file(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "site.pfk".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.prefectc-import.{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use crate::import::{Chart, Request, import};

    fn values(case: &str) -> String {
        let path = format!(
            "{}/tests/parity/reference/{case}/values.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).expect("a parity case")
    }

    fn request(chart: Chart, values: String, into: Option<&str>) -> Request {
        Request {
            chart,
            files: vec![("values.yaml".into(), values)],
            sets: Vec::new(),
            release: chart.default_release().into(),
            namespace: "default".into(),
            prefect: Some("3.4.25".into()),
            into: into.map(|t| ("site.pfk".to_string(), t.to_string())),
        }
    }

    fn codes(out: &crate::import::Imported) -> Vec<&'static str> {
        out.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str())
            .collect()
    }

    const WORKER: &str = "worker:\n  apiConfig: selfHostedServer\n  selfHostedServerApiConfig:\n    apiUrl: http://prefect-server.default.svc.cluster.local:4200/api\n  config:\n    workPool: k8s\n";

    /// Server, then worker, then exporter, into one site: it builds, the
    /// worker's API is the server, the user's comment is kept.
    #[test]
    fn three_releases_become_one_site() {
        let server = import(&request(Chart::Server, values("server-default"), None));
        let site = format!("// ours\n{}", server.site.expect("the server imports"));
        let worker = import(&request(Chart::Worker, WORKER.into(), Some(&site)));
        let site = worker
            .site
            .clone()
            .unwrap_or_else(|| panic!("{:?}", codes(&worker)));
        let exporter = import(&request(
            Chart::Exporter,
            values("exporter-default"),
            Some(&site),
        ));
        let site = exporter.site.expect("the exporter is added");
        assert!(site.starts_with("// ours\n"), "{site}");
        assert!(
            site.contains("worker prefect-worker {\n  api  = prefect-server\n"),
            "{site}"
        );
        assert!(
            site.contains("exporter prometheus-prefect-exporter {"),
            "{site}"
        );
        assert_eq!(
            crate::fmt::format(&site).ok().as_deref(),
            Some(site.as_str())
        );
        let built = crate::build(
            "site.pfk",
            site.clone(),
            &crate::MemoryLoader(Vec::new()),
            &crate::Options::default(),
        );
        let errors: Vec<_> = built.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:#?}\n{site}");
    }

    /// Another namespace, another Prefect release, a name taken: E0705 at
    /// the site's field or component, and no site.
    #[test]
    fn a_release_that_does_not_fit_is_refused() {
        let site = "site default {\n  namespace = \"prefect\"\n  prefect = \"3.4.24\"\n}\n\nworker prefect-worker {\n  pool = \"p\"\n}\n";
        let out = import(&request(Chart::Worker, WORKER.into(), Some(site)));
        assert!(out.site.is_none());
        assert_eq!(codes(&out), ["E0705", "E0705", "E0705"]);
        let at: Vec<String> = out
            .diagnostics
            .iter()
            .map(|d| {
                let f = out
                    .sources
                    .get(d.primary.span.anchor.file().unwrap_or_default());
                let (l, c) = f.line_col(d.primary.span.start);
                format!("{}:{l}:{c}", f.name)
            })
            .collect();
        assert_eq!(at, ["site.pfk:2:15", "site.pfk:3:13", "site.pfk:6:8"]);
        let broken = import(&request(Chart::Worker, WORKER.into(), Some("site {")));
        assert_eq!(codes(&broken), ["E0705"]);
    }

    /// A server imported after its worker: the worker's URL becomes
    /// `api = <server>`, and the site builds.
    #[test]
    fn a_server_imported_after_its_worker_is_linked_to_it() {
        let worker = import(&request(Chart::Worker, WORKER.into(), None));
        let site = worker.site.expect("the worker imports");
        let server = import(&request(
            Chart::Server,
            values("server-default"),
            Some(&site),
        ));
        let site = server
            .site
            .clone()
            .unwrap_or_else(|| panic!("{:?}", codes(&server)));
        assert!(
            site.contains("worker prefect-worker {\n  api  = prefect-server\n"),
            "{site}"
        );
        assert!(!site.contains("self-hosted"), "{site}");
        let built = crate::import::waivers::build(&site);
        assert!(!built.has_errors(), "{site}");
    }

    /// With `--into`, waivers are judged in the site the release joins: a
    /// `privileged` site reports the chart's template and wildcard as
    /// warnings, so nothing is waived (an `@allow` there would waive
    /// nothing); a `restricted` one needs the waivers, each said by W0706.
    #[test]
    fn waivers_are_judged_in_the_site_joined() {
        let site = |policy: &str| {
            format!(
                "site prefect {{\n  namespace = \"default\"\n  prefect   = \"3.4.25\"\n  policy    = {policy}\n}}\n"
            )
        };
        let warned = |out: &crate::import::Imported| {
            out.diagnostics
                .iter()
                .filter(|d| d.code.as_str() == "W0706")
                .count()
        };
        let privileged = site("privileged");
        let out = import(&request(
            Chart::Worker,
            values("worker-rbac-bjt"),
            Some(&privileged),
        ));
        let text = out.site.clone().expect("the worker is added");
        assert!(!text.contains("@allow"), "{text}");
        assert_eq!(warned(&out), 0);
        assert!(!crate::import::waivers::build(&text).has_errors(), "{text}");
        let restricted = site("restricted");
        let out = import(&request(
            Chart::Worker,
            values("worker-rbac-bjt"),
            Some(&restricted),
        ));
        let text = out.site.clone().expect("the worker is added");
        assert!(text.contains("@allow(\"pss/run-as-non-root\""), "{text}");
        assert!(warned(&out) > 0);
        assert!(!crate::import::waivers::build(&text).has_errors(), "{text}");
    }

    /// A URL of another namespace or host stays a URL.
    #[test]
    fn only_the_site_servers_service_is_linked() {
        let site = super::Site {
            file: crate::source::FileId(0),
            text: String::new(),
            site: None,
            components: vec![("server".into(), "prefect-server".into(), Default::default())],
            self_hosted: Vec::new(),
        };
        for (url, linked) in [
            ("http://prefect-server:4200/api", true),
            ("http://prefect-server.default:4200/api", true),
            (
                "http://prefect-server.other.svc.cluster.local:4200/api",
                false,
            ),
            ("https://prefect-server:4200/api", false),
            ("http://elsewhere:4200/api", false),
        ] {
            let mut fields = super::Block::default();
            fields.set("url", super::Pfk::Str(url.into()));
            let mut block = super::Block::default();
            block.set("api", super::Pfk::Variant("self-hosted".into(), fields));
            assert_eq!(
                super::link_api(&site, "default", &mut block).is_some(),
                linked,
                "{url}"
            );
        }
    }
}
