//! The Prefect API a component talks to: a server of this site, a server
//! elsewhere, Prefect Cloud or a customer-managed Cloud. Its URL, its
//! basic auth and its API key are worked out here and nowhere else.

use super::schema::{Api, KeyPropagation, Server, ServerAuth};
use super::{Kind, Located, SecretKeyRef, Site};

/// Prefect Cloud's API.
pub const CLOUD_API_URL: &str = "https://api.prefect.cloud/api";

/// The server's API path: `base-path` with one leading and no trailing `/`.
pub fn base_path(server: &Server) -> String {
    format!("/{}", server.base_path.trim_matches('/'))
}

/// The in-cluster URL of server `name`'s API in `namespace`.
pub fn server_url(name: &str, namespace: &str, server: &Server) -> String {
    format!(
        "http://{name}.{namespace}.svc.cluster.local:{}{}",
        *server.port,
        base_path(server)
    )
}

/// An API key and how flow-run pods started by a Kubernetes worker get it.
pub struct ApiKey<'a> {
    pub key: &'a Located<SecretKeyRef>,
    pub propagation: KeyPropagation,
    /// `PREFECT_CLOUD_API_URL` and `PREFECT_CLOUD_UI_URL` of a customer-managed Cloud.
    pub cloud_api_url: Option<&'a str>,
    pub cloud_ui_url: Option<&'a str>,
}

/// The API of one client, resolved against the site.
pub struct ApiTarget<'a> {
    pub api: &'a Located<Api>,
    /// The declared server, for `api = <server>`.
    pub server: Option<(&'a str, &'a Server)>,
}

impl Site {
    /// The API `api` points at; the server it names has been checked to exist.
    pub fn api<'a>(&'a self, api: &'a Located<Api>) -> ApiTarget<'a> {
        let server = match &api.value {
            Api::Server(r) => self
                .find(Kind::Server, &r.name)
                .and_then(|c| Some((c.name.as_str(), c.spec.server()?))),
            Api::SelfHosted(_) | Api::Cloud(_) | Api::CustomerCloud(_) => None,
        };
        ApiTarget { api, server }
    }
}

impl ApiTarget<'_> {
    /// `PREFECT_API_URL` for a client in `namespace`.
    pub fn url(&self, namespace: &str) -> String {
        match &self.api.value {
            Api::Server(_) => self
                .server
                .map(|(name, s)| server_url(name, namespace, s))
                .unwrap_or_default(),
            Api::SelfHosted(s) => s.url.value.clone(),
            Api::Cloud(c) => workspace_url(CLOUD_API_URL, &c.account, &c.workspace),
            Api::CustomerCloud(c) => workspace_url(&c.api_url, &c.account, &c.workspace),
        }
    }

    /// The basic-auth credentials (`user:password`) the API expects.
    pub fn basic_auth(&self) -> Option<&Located<SecretKeyRef>> {
        match &self.api.value {
            Api::Server(_) => {
                let (_, server) = self.server?;
                match &server.auth.as_ref()?.value {
                    ServerAuth::Basic(b) => Some(&b.credentials),
                }
            }
            Api::SelfHosted(s) => s.auth.as_ref(),
            Api::Cloud(_) | Api::CustomerCloud(_) => None,
        }
    }

    /// The Cloud API key, for a Cloud API.
    pub fn key(&self) -> Option<ApiKey<'_>> {
        match &self.api.value {
            Api::Cloud(c) => Some(ApiKey {
                key: &c.key,
                propagation: *c.key_propagation,
                cloud_api_url: None,
                cloud_ui_url: None,
            }),
            Api::CustomerCloud(c) => Some(ApiKey {
                key: &c.key,
                propagation: *c.key_propagation,
                cloud_api_url: c.cloud_api_url.as_deref().map(String::as_str),
                cloud_ui_url: c.cloud_ui_url.as_deref().map(String::as_str),
            }),
            Api::Server(_) | Api::SelfHosted(_) => None,
        }
    }

    /// Whether flow-run pods get the API key through Secrets the worker creates.
    pub fn creates_key_secrets(&self) -> bool {
        self.key()
            .is_some_and(|k| k.propagation == KeyPropagation::CreateSecret)
    }
}

/// `<base>/accounts/<account>/workspaces/<workspace>`
fn workspace_url(base: &str, account: &str, workspace: &str) -> String {
    format!(
        "{}/accounts/{account}/workspaces/{workspace}",
        base.trim_end_matches('/')
    )
}
