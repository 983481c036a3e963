//! The wording of [`RuleError`].

use super::{AgentApi, AgentReplacement, Blocking, ExtendedProblem, ProfileKind, RuleError};
use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};
use crate::source::Span;

const SQLITE_VOLUME: &str = "SQLite lives on one ReadWriteOnce volume";

impl AgentReplacement {
    /// The worker block that replaces the agent.
    fn pfk(&self) -> String {
        let api = match &self.api {
            AgentApi::Ref(name) => name.clone(),
            AgentApi::Inline(tag) => format!("{tag} {{ … }}"),
            AgentApi::Unknown => "…".to_string(),
        };
        let pool = format!("\n  pool   = \"{}\"", self.pool);
        let limit = self
            .limit
            .map(|l| format!("\n  limit  = {l}"))
            .unwrap_or_default();
        let queues = if self.queues.is_empty() {
            String::new()
        } else {
            format!(
                "\n  queues = [{}]",
                self.queues
                    .iter()
                    .map(|q| format!("\"{q}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!(
            "worker {} {{\n  type   = kubernetes\n  api    = {api}{pool}{queues}{limit}\n}}",
            self.name
        )
    }
}

/// A template that does not fit its worker's type.
/// `a`, `b` and `c`, each in backticks.
fn code_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

fn template_mismatch(
    span: Span,
    message: String,
    label: &str,
    worker_type: &str,
    type_at: Option<Span>,
) -> Diagnostic {
    let d = Diagnostic::new(Code::InvalidJobTemplate, span, message)
        .label(label)
        .help(format!(
            "start from `prefect work-pool get-default-base-job-template --type {worker_type}`"
        ));
    match type_at {
        Some(s) => d.with_secondary(s, format!("this makes the worker {worker_type}")),
        None => d,
    }
}

impl IntoDiagnostic for RuleError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            RuleError::NoSite => {
                Diagnostic::new(Code::SiteCount, Span::default(), "no `site` declared")
                    .label("the build starts here")
                    .help("declare the site: `site NAME { namespace = \"prefect\", prefect = \"3.4.25\" }`")
            }
            RuleError::SecondSite { span, first } => Diagnostic::new(
                Code::SiteCount,
                span,
                "a build has exactly one site",
            )
            .label("a second site")
            .with_secondary(first, "the first site")
            .help("build each site from its own file; share components through `import`"),
            RuleError::KubernetesTooOld {
                span,
                version,
                supported,
            } => Diagnostic::new(
                Code::UnsupportedVersion,
                span,
                format!("Kubernetes {version} cannot be served"),
            )
            .label("too old for the API versions prefectc emits (autoscaling/v2, policy/v1)")
            .help(format!("target one of {}", supported.join(", "))),
            RuleError::KubernetesOutsideWindow {
                span,
                version,
                supported,
            } => Diagnostic::new(
                Code::KubernetesVersionWindow,
                span,
                format!("Kubernetes {version} is outside the supported window"),
            )
            .label(format!("supported: {}", supported.join(", ")))
            .help(
                "the output may still work, but it is not validated against this version's schemas",
            ),
            RuleError::PoolTypeMismatch {
                span,
                worker_type: wt,
                pool_type: pt,
                pool,
                joins,
                pool_type_at,
            } => Diagnostic::new(
                Code::PoolTypeMismatch,
                span,
                format!("a {wt} worker cannot join the {pt} pool `{pool}`"),
            )
            .label(format!("this worker is {wt}"))
            .with_secondary(joins, format!("joins pool `{pool}`"))
            .with_secondary(pool_type_at, format!("pool `{pool}` is {pt}"))
            .help(format!(
                "set `type = {pt}` (or drop `type`: it is inferred from the pool), or join a {wt} pool"
            )),
            RuleError::UnknownPoolType {
                span,
                pool,
                worker,
                suggestion,
            } => {
                let d = Diagnostic::new(
                    Code::WorkerTypeRequired,
                    span,
                    format!("the type of pool `{pool}` is unknown"),
                )
                .label("no pool of this name is declared in the site")
                .with_secondary(worker, "this worker needs a type");
                match suggestion {
                    Some(s) => d
                        .help(format!(
                            "did you mean the declared pool `{s}`, `pool = \"{s}\"`? For a pool \
                             outside the site, add `type = kubernetes` (or process, …) to the worker"
                        ))
                        .suggest(span, format!("\"{s}\"")),
                    None => d.help(
                        "add `type = kubernetes` (or process, …) to the worker, or declare the pool",
                    ),
                }
            }
            RuleError::SqliteReplicas { span, database } => Diagnostic::new(
                Code::SqliteScaling,
                span,
                "a server on SQLite runs one replica",
            )
            .label("more than one replica")
            .with_secondary(database, SQLITE_VOLUME)
            .help("use `database = postgres { … }` to run several replicas, or remove `replicas`"),
            RuleError::SqliteRollingUpdate { span, database } => Diagnostic::new(
                Code::SqliteScaling,
                span,
                "a server on SQLite is replaced with `recreate`",
            )
            .label("a rolling update starts the new pod before the old one stops")
            .with_secondary(database, SQLITE_VOLUME)
            .help("remove `update-strategy`: SQLite servers always recreate their pod"),
            RuleError::SqliteAutoscaling { span, database } => Diagnostic::new(
                Code::SqliteScaling,
                span,
                "a server on SQLite cannot autoscale",
            )
            .label("autoscaling adds replicas")
            .with_secondary(database, SQLITE_VOLUME)
            .help("use `database = postgres { … }`, or remove `autoscaling`"),
            RuleError::IngressAndGateway { span, ingress } => Diagnostic::new(
                Code::ExposureConflict,
                span,
                "a server is exposed through an Ingress or a Gateway, not both",
            )
            .label("Gateway API route")
            .with_secondary(ingress, "Ingress")
            .help("keep one of `ingress` and `gateway`"),
            RuleError::GatewayTarget { span } => Diagnostic::new(
                Code::ExposureConflict,
                span,
                "a gateway needs either `class` or `name`",
            )
            .label("say which Gateway the route attaches to")
            .help("`class = \"istio\"` creates a Gateway; `name = \"shared\"` attaches to an existing one"),
            RuleError::PostgresUrlAndHost { span, url } => Diagnostic::new(
                Code::ExposureConflict,
                span,
                "give the PostgreSQL URL or its parts, not both",
            )
            .label("host given")
            .with_secondary(url, "URL given"),
            RuleError::PostgresNoConnection { span } => Diagnostic::new(
                Code::MissingField,
                span,
                "PostgreSQL needs `url` or `host`",
            )
            .label("no connection given")
            .help("write `postgres { url = secret(\"prefect-db\", \"connection-url\") }`"),
            RuleError::PostgresNoPassword { span } => Diagnostic::new(
                Code::MissingField,
                span,
                "PostgreSQL by parts needs `password`",
            )
            .label("no password")
            .help("add `password = secret(\"prefect-db\", \"password\")`"),
            RuleError::SplitWithoutRedis { span } => Diagnostic::new(
                Code::SplitWithoutRedis,
                span,
                "separate background services need Redis messaging",
            )
            .label("the services run in their own Deployment")
            .help("add `messaging = redis { host = \"…\", password = secret(\"…\", \"…\") }` to `background-services`"),
            RuleError::SplitNeedsNewerPrefect { span } => Diagnostic::new(
                Code::UnsupportedVersion,
                span,
                "separate background services need Prefect 3.4.16 or later",
            )
            .label("`prefect server services start` does not exist before 3.4.16")
            .help("raise `prefect` in the site, or remove `separate = true`"),
            RuleError::ProbeSuccessThreshold { span, probe } => Diagnostic::new(
                Code::ConstraintViolated,
                span,
                format!("a {probe} probe's success threshold must be 1"),
            )
            .label("Kubernetes rejects any other value")
            .help("remove it; only the readiness probe takes a success threshold"),
            RuleError::SqliteSplit { span, database } => Diagnostic::new(
                Code::SqliteScaling,
                span,
                "separate background services cannot share a SQLite database",
            )
            .label("the services' Deployment and the migrations Job would get a SQLite URL and no volume")
            .with_secondary(database, SQLITE_VOLUME)
            .help("use `database = postgres { … }` to run the services separately, or remove `separate = true`"),
            RuleError::UncoordinatedServiceReplicas { span, docket_since } => Diagnostic::new(
                Code::ServicesInEveryReplica,
                span,
                "every background-services replica runs the scheduler",
            )
            .label("more than one replica, not coordinated")
            .help(format!(
                "run one replica, or coordinate them through Docket: Prefect {docket_since} or later with `docket-url` set"
            ))
            .note("Prefect warns that uncoordinated replicas duplicate scheduled runs"),
            RuleError::ServicesInEveryReplica { span } => Diagnostic::new(
                Code::ServicesInEveryReplica,
                span,
                "every replica of this server runs its own background services",
            )
            .label("more than one API pod")
            .help(
                "run the services once: `background-services { separate = true, messaging = redis { … } }`",
            )
            .note("the scheduler and the event services would run once per pod, each with in-memory messaging"),
            RuleError::ClusterIpSetting {
                span,
                field,
                type_at,
            } => {
                let d = Diagnostic::new(
                    Code::ExposureConflict,
                    span,
                    format!("`{field}` needs a `node-port` or `load-balancer` Service"),
                )
                .label("ignored by a ClusterIP Service")
                .help("set `type = node-port` (or `load-balancer`), or remove it");
                match type_at {
                    Some(at) => d.with_secondary(at, "the Service is ClusterIP"),
                    None => d,
                }
            }
            RuleError::AgentOnPrefect3 {
                span,
                replacement,
                site_prefect,
            } => {
                let d = Diagnostic::new(
                    Code::AgentNeedsPrefect2,
                    span,
                    "agents do not exist in Prefect 3",
                )
                .label("this agent would run a Prefect 3 image")
                .help(format!(
                    "replace it with a worker:\n{}\nor pin a Prefect 2 image: `image = \"prefecthq/prefect:{}-python3.12\"`",
                    replacement.pfk(),
                    // The newest Prefect 2 whose settings prefectc checks.
                    crate::model::prefect::Catalogue::newest(2, None)
                        .map_or_else(|| "2.20".to_string(), |v| v.to_string())
                ));
                match site_prefect {
                    Some(s) => d.with_secondary(s, "the site runs Prefect 3"),
                    None => d,
                }
            }
            RuleError::AgentDeprecated { span, replacement } => {
                Diagnostic::new(Code::AgentDeprecated, span, "agents are deprecated")
                    .label("a Prefect 2 agent")
                    .help(format!(
                        "workers replace agents in Prefect 3; the equivalent is:\n{}",
                        replacement.pfk()
                    ))
            }
            RuleError::TemplateNotJson { span, error } => Diagnostic::new(
                Code::InvalidJobTemplate,
                span,
                "the base job template is not JSON",
            )
            .label(error)
            .help("write the template as JSON text, e.g. `\"\"\"{ \"job_configuration\": { … }, \"variables\": { … } }\"\"\"`"),
            RuleError::TemplateNotObject { span } => Diagnostic::new(
                Code::InvalidJobTemplate,
                span,
                "the base job template is not a JSON object",
            )
            .label("a template is an object with `job_configuration` and `variables`")
            .help("wrap the template in `{ … }`"),
            RuleError::TemplateMissing {
                span,
                missing,
                worker_type,
            } => Diagnostic::new(
                Code::InvalidJobTemplate,
                span,
                format!(
                    "the base job template has no {} object",
                    missing
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )
            .label("Prefect rejects a template without both")
            .help(format!(
                "start from `prefect work-pool get-default-base-job-template --type {}`",
                worker_type.as_deref().unwrap_or("<type>")
            )),
            RuleError::TemplateNoJobManifest {
                span,
                worker_type,
                type_at,
            } => template_mismatch(
                span,
                "a kubernetes worker's template needs `job_configuration.job_manifest`".into(),
                "no Kubernetes Job manifest",
                &worker_type,
                type_at,
            ),
            RuleError::TemplateManifestNotJob {
                span,
                kind,
                worker_type,
                type_at,
            } => template_mismatch(
                span,
                format!("the job manifest is a {kind}, not a Job"),
                "a kubernetes worker starts flow runs as batch/v1 Jobs",
                &worker_type,
                type_at,
            ),
            RuleError::TemplateRefusedByWorker {
                span,
                missing,
                incompatible,
            } => {
                let mut parts = Vec::new();
                if !missing.is_empty() {
                    parts.push(format!("it lacks {}", code_list(&missing)));
                }
                if !incompatible.is_empty() {
                    let wants: Vec<String> = incompatible
                        .iter()
                        .map(|(path, value)| format!("`{path}` must be {value}"))
                        .collect();
                    parts.push(wants.join(", "));
                }
                Diagnostic::new(
                    Code::InvalidJobTemplate,
                    span,
                    "the kubernetes worker refuses this template's Job manifest",
                )
                .label(parts.join("; "))
                .note("the worker checks every flow run's Job against the fields it needs (`_get_base_job_manifest` of prefect-kubernetes) and fails the run when one is missing or different")
                .help("add them to the Job manifest as `prefect work-pool get-default-base-job-template --type kubernetes` has them: `spec.template.spec` with `parallelism: 1`, `completions: 1`, `restartPolicy: \"Never\"` and a first container named `prefect-job`")
            }
            RuleError::TemplateContainerWithoutImage {
                span,
                path,
                container,
            } => Diagnostic::new(
                Code::InvalidJobTemplate,
                span,
                format!("container `{container}` of this template's Job has no image"),
            )
            .label(format!("`{path}` is missing"))
            .note("the worker fills in the image of the first container only; Kubernetes refuses a Job whose other container or init container has none, and every flow run fails")
            .help(format!("add `\"image\": \"…\"` (a pinned image, or a `{{{{ image }}}}` placeholder with a default) to container `{container}` in the Job manifest")),
            RuleError::TemplateUnexpectedManifest {
                span,
                worker_type,
                type_at,
            } => template_mismatch(
                span,
                format!("a {worker_type} worker's template has a Kubernetes `job_manifest`"),
                "only kubernetes workers run Job manifests",
                &worker_type,
                type_at,
            ),
            RuleError::TemplateNamespaceOutside {
                span,
                path,
                namespace,
                allowed,
                job_namespaces_at,
            } => {
                let listed = allowed
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let first = allowed.first().cloned().unwrap_or_default();
                let d = Diagnostic::new(
                    Code::TemplateNamespaceOutside,
                    span,
                    format!(
                        "this template creates flow-run Jobs in namespace `{namespace}`, where the worker may not"
                    ),
                )
                .label(format!(
                    "`{path}` is `{namespace}`; the worker may create Jobs in {listed}"
                ))
                .help(format!(
                    "set `{path}` to \"{first}\" in the template, or add \"{namespace}\" to `job-namespaces`"
                ));
                match job_namespaces_at {
                    Some(at) => d.with_secondary(at, "the worker's RBAC covers these namespaces"),
                    None => d.note(format!(
                        "without `job-namespaces`, the worker may create Jobs in the site's namespace `{first}` only"
                    )),
                }
            }
            RuleError::ExternalPoolTemplate {
                span,
                pool,
                namespace,
            } => Diagnostic::new(
                Code::ExternalPoolTemplate,
                span,
                format!(
                    "pool `{pool}` is not declared in this site: its own base job template decides where flow-run Jobs run"
                ),
            )
            .label("Prefect's default template creates them in namespace `default`")
            .help(format!(
                "declare the pool (`pool {pool} {{ type = kubernetes }}`) so that prefectc gives it a template that runs Jobs in `{namespace}`, or set `base-job-template`"
            )),
            RuleError::PoolTemplateConflict {
                span,
                pool,
                worker,
                first_worker,
                first,
            } => Diagnostic::new(
                Code::PoolTemplateConflict,
                span,
                format!(
                    "workers `{first_worker}` and `{worker}` would write different base job templates to pool `{pool}`"
                ),
            )
            .label(format!("worker `{worker}`'s template"))
            .with_secondary(first, format!("worker `{first_worker}`'s template"))
            .note("a pool has one template: each worker writes its own at start, and the last one wins")
            .help(
                "give both workers the same `base-job-template` (or, without one, the same first `job-namespaces` entry and an image of the same Prefect release), or let them join separate pools",
            ),
            RuleError::JobNamespaceNotCreated {
                span,
                namespace,
                create_namespace,
            } => Diagnostic::new(
                Code::JobNamespaceNotCreated,
                span,
                format!("prefectc does not create the job namespace `{namespace}`"),
            )
            .label("the cluster creates it; its Pod Security labels are the cluster's")
            .with_secondary(create_namespace, "the other namespaces are created and labelled for the site's policy")
            .note("flow-run pods are hardened either way; what this namespace's admission enforces is unknown to prefectc")
            .help(format!(
                "run flow runs in a namespace of their own: replace `\"{namespace}\"` in `job-namespaces`"
            )),
            RuleError::UnknownPlaceholder {
                span,
                placeholder,
                variables,
                suggestion,
            } => {
                let d = Diagnostic::new(
                    Code::UnknownPlaceholder,
                    span,
                    format!("`{{{{ {placeholder} }}}}` names no variable of the template"),
                )
                .label(format!("the job configuration uses `{placeholder}`"))
                .note("Prefect's server refuses a base job template whose job configuration uses a variable `variables.properties` does not declare, so the worker's init container cannot write it to the pool");
                match suggestion {
                    Some(s) => d.help(format!("did you mean `{{{{ {s} }}}}`?")),
                    None if variables.is_empty() => d.help(format!(
                        "declare `{placeholder}` under `variables.properties`"
                    )),
                    None => d.help(format!(
                        "declare `{placeholder}` under `variables.properties`, or use one of {}",
                        variables
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            RuleError::FlowRunsNotKubernetes {
                span,
                pool,
                pool_type,
            } => Diagnostic::new(
                Code::FlowRunsNotKubernetes,
                span,
                format!("pool `{pool}` is a {pool_type} pool: its flow runs are no Kubernetes Jobs"),
            )
            .label("these settings would reach no flow run")
            .help(format!(
                "remove `flow-runs` from pool `{pool}`, or make it `type = kubernetes`"
            )),
            RuleError::FlowRunsReplaced {
                span,
                worker,
                pool,
                flow_runs,
            } => Diagnostic::new(
                Code::FlowRunsReplaced,
                span,
                format!("worker `{worker}`'s `base-job-template` replaces pool `{pool}`'s `flow-runs`"),
            )
            .label("this template is written to the pool")
            .with_secondary(flow_runs, "these settings would be lost")
            .note("prefectc writes `flow-runs` into the template it builds for the pool; a worker's own template takes its place")
            .help(format!(
                "remove `base-job-template` from worker `{worker}` and describe the flow runs in `flow-runs`, or remove `flow-runs` from pool `{pool}`"
            )),
            RuleError::ExtendedResource {
                span,
                name,
                problem,
            } => {
                let d = Diagnostic::new(
                    Code::ExtendedResource,
                    span,
                    format!("Kubernetes refuses the extended resource `{name}` as written"),
                );
                match problem {
                    ExtendedProblem::Name => d
                        .label("not a resource name of a device plugin or an operator")
                        .note("an extended resource is `<domain>/<name>` outside `kubernetes.io`, such as `nvidia.com/gpu`; CPU, memory and ephemeral storage have fields of their own")
                        .help("write its full name, such as `\"nvidia.com/gpu\" = 1`"),
                    ExtendedProblem::Negative => d
                        .label("a negative amount")
                        .help("give a whole number of units, 0 or more"),
                    ExtendedProblem::RequestWithoutLimit { request, limit } => d
                        .label(match limit {
                            Some(l) => format!("requests {request}, but the limit is {l}"),
                            None => format!("requests {request} with no limit"),
                        })
                        .note("extended resources are not overcommitted: a request needs an equal limit")
                        .help(format!(
                            "set `limits = {{ extended = {{ \"{name}\" = {request} }} }}`, or give only the limit (the request follows it)"
                        )),
                }
            }
            RuleError::PrefectOutsideCatalogue {
                span,
                version,
                known,
                nearest,
            } => Diagnostic::new(
                Code::PrefectOutsideCatalogue,
                span,
                format!("Prefect {version} is outside the release lines prefectc knows"),
            )
            .label(format!(
                "prefectc knows the settings of {known}; it checks this pin as Prefect {nearest}"
            ))
            .help("pin a release of a known line, or upgrade prefectc"),
            RuleError::IgnoredForWorkerType {
                span,
                field,
                worker_type: wt,
                type_at,
            } => {
                let d = Diagnostic::new(
                    Code::IgnoredForWorkerType,
                    span,
                    format!("`{field}` has no effect on a {wt} worker"),
                )
                .label("only kubernetes workers start Jobs and observe them")
                .help(format!(
                    "remove `{field}`, or make the worker (and its pool) kubernetes"
                ));
                match type_at {
                    Some(at) => d.with_secondary(at, format!("this makes the worker {wt}")),
                    None => d,
                }
            }
            RuleError::DnsConfigOnlyWithoutServers { span } => Diagnostic::new(
                Code::MissingField,
                span,
                "`dns-policy = config-only` needs name servers",
            )
            .label("the pods would have no resolver at all")
            .help("add `dns-config { nameservers = [\"10.0.0.10\"] }`, or choose another policy"),
            RuleError::UnscopedKeySecret { span, worker, name } => Diagnostic::new(
                Code::UnscopedKeySecret,
                span,
                "the worker may write every Secret of its job namespaces",
            )
            .label("the worker creates a Secret named after itself")
            .with_secondary(worker, "this worker has no `name`")
            .help(format!(
                "set `name = \"{name}\"`: its Secret is then `prefect-{name}-api-key`, and the Role grants get, update and delete on that Secret only"
            )),
            RuleError::PrometheusRuleNoAlerts { span } => Diagnostic::new(
                Code::MissingField,
                span,
                "the PrometheusRule has no alerts",
            )
            .label("`builtin` and `alerts` are both empty")
            .help("add `alerts = [{ name = \"…\", expr = \"…\" }]`, keep some `builtin` alerts, or remove `prometheus-rule`"),
            RuleError::EmptyCloudId { span, field, api } => Diagnostic::new(
                Code::ConstraintViolated,
                span,
                format!("the {field} ID of `{api}` is empty"),
            )
            .label(format!("the API URL would have an empty `{field}s/` segment"))
            .help(format!(
                "copy the {field} ID from the Prefect Cloud URL: `…/account/<account>/workspace/<workspace>/…`"
            )),
            RuleError::CloudIdNotUuid { span, field, value } => Diagnostic::new(
                Code::InvalidFormat,
                span,
                format!("`{value}` is not a Prefect Cloud {field} ID"),
            )
            .label("Cloud IDs are UUIDs")
            .help(format!(
                "copy the {field} ID from the Prefect Cloud URL: `…/account/<account>/workspace/<workspace>/…`, e.g. `\"6e02a1db-07de-4760-a15f-ab1d3d3a2a0a\"`"
            )),
            RuleError::CloudApiUrlWithWorkspace { span, installation } => Diagnostic::new(
                Code::InvalidFormat,
                span,
                "`api-url` names an account and workspace",
            )
            .label("prefectc appends `/accounts/<account>/workspaces/<workspace>` to it")
            .help(format!(
                "write the installation's API URL, `api-url = \"{installation}\"`, and the IDs in `account` and `workspace`"
            )),
            RuleError::SelfHostedUrlWithoutPath { span, url } => Diagnostic::new(
                Code::InvalidFormat,
                span,
                "a Prefect API URL has a path",
            )
            .label("this is the server's address, where its UI is served")
            .help(format!(
                "the API is under `/api` unless the server sets another base path: `url = \"{}/api\"`",
                url.trim_end_matches('/')
            )),
            RuleError::AutoscalingMaxBelowMin {
                span,
                min_at,
                min,
                max,
            } => Diagnostic::new(
                Code::ConstraintViolated,
                span,
                format!("autoscaling `max` ({max}) is below `min` ({min})"),
            )
            .label("the most replicas")
            .with_secondary(min_at, "the fewest replicas")
            .help("raise `max` or lower `min`"),
            RuleError::BlockingDisruptionBudget { span, why } => Diagnostic::new(
                Code::BlockedEvictions,
                span,
                "this disruption budget blocks every eviction",
            )
            .label(match why {
                Blocking::NoneUnavailable => "no pod may be unavailable".to_string(),
                Blocking::OnlyPod => "the only pod must stay available".to_string(),
                Blocking::AllPods(pods) => format!("all {pods} pods must stay available"),
            })
            .help("allow one pod to go: `max-unavailable = 1`; node drains and cluster upgrades wait on the budget forever otherwise"),
            RuleError::SeccompPathNotRelative { span, path } => {
                let relative = path
                    .strip_prefix("/var/lib/kubelet/seccomp/")
                    .unwrap_or(&path)
                    .trim_start_matches('/');
                Diagnostic::new(
                    Code::ConstraintViolated,
                    span,
                    "a seccomp profile path is relative to the kubelet's seccomp directory",
                )
                .label("absolute, or leaves that directory")
                .help(format!(
                    "write the path below `/var/lib/kubelet/seccomp`, e.g. `\"{}\"`",
                    relative.replace("../", "")
                ))
            }
            RuleError::VolumeNameTaken { span, name } => Diagnostic::new(
                Code::ObjectNameClash,
                span,
                format!("prefectc adds a volume named `{name}` to these pods"),
            )
            .label("a second volume of this name")
            .help(format!("rename it, e.g. `{name}-1`, and its mounts")),
            RuleError::UnknownVolume {
                span,
                name,
                volumes,
                suggestion,
            } => {
                let d = Diagnostic::new(
                    Code::UnresolvedName,
                    span,
                    format!("the pods have no volume `{name}`"),
                )
                .label("not a key of the component's `volumes`");
                match (suggestion, volumes.is_empty()) {
                    (Some(s), _) => d.help(format!("did you mean `{s}`?")),
                    (None, true) => d.help(format!(
                        "declare it: `volumes = {{ {name} = empty-dir {{}} }}`"
                    )),
                    (None, false) => d.help(format!(
                        "mount one of {}, or declare `{name}` in `volumes`",
                        volumes
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            RuleError::PodSecurityLabel { span, key, policy } => {
                let d = Diagnostic::new(
                    Code::InvalidLabel,
                    span,
                    format!("`{key}` is a label prefectc sets on the Namespace"),
                )
                .label("written over by the level of the site's `policy`")
                .help(format!(
                    "remove `{key}` from `labels`, and choose the level with `policy` (`privileged`, `baseline` or `restricted`)"
                ));
                match policy {
                    Some(at) => d.with_secondary(at, "the level the Namespace gets"),
                    None => d,
                }
            }
            RuleError::WildcardUiHost { span, domain } => Diagnostic::new(
                Code::InvalidFormat,
                span,
                "the UI's API URL cannot be derived from a wildcard host",
            )
            .label(format!(
                "the browser would call `https://*.{domain}`, which is no address"
            ))
            .help(format!(
                "set the address browsers use: `ui {{ api-url = \"https://prefect.{domain}/api\" }}`"
            )),
            RuleError::LocalhostProfileMissing {
                span,
                kind,
                container,
            } => {
                let (type_, profile, example) = profile_words(kind);
                let d = Diagnostic::new(
                    Code::MissingField,
                    span,
                    format!("`{type_} = localhost` needs `{profile}`"),
                )
                .label("Kubernetes refuses a Localhost profile without the profile to load");
                if container {
                    d.help(format!(
                        "add `{profile} = \"{example}\"` to the component's `security`: containers load the pod's profile"
                    ))
                } else {
                    d.help(format!("add `{profile} = \"{example}\"` next to it"))
                }
            }
            RuleError::LocalhostProfileUnused {
                span,
                kind,
                type_at,
            } => {
                let (type_, profile, _) = profile_words(kind);
                let d = Diagnostic::new(
                    Code::ExposureConflict,
                    span,
                    format!("`{profile}` without `{type_} = localhost`"),
                )
                .label("no container of the pod loads a Localhost profile")
                .help(format!(
                    "remove `{profile}`, or set `{type_} = localhost` to load it"
                ))
                .note("Kubernetes refuses a localhost profile for any other type");
                match type_at {
                    Some(at) => d.with_secondary(at, format!("the pod's {type_} type")),
                    None => d,
                }
            }
            RuleError::RootContradiction {
                span,
                user,
                default_field,
            } => {
                let d = Diagnostic::new(
                    Code::RootContradiction,
                    span,
                    "runAsNonRoot contradicts runAsUser 0",
                )
                .label("requires a non-root user")
                .with_secondary(user, "runs as root")
                .help(
                    "to run as root, set `run-as-non-root = false`; otherwise choose a non-zero `run-as-user`",
                )
                .note("the kubelet refuses to start such a container");
                match default_field {
                    Some(field) => d.note(format!("`{field}` is true by default")),
                    None => d,
                }
            }
            RuleError::IgnoredOnOpenShift { span, field } => Diagnostic::new(
                Code::IgnoredOnPlatform,
                span,
                format!("`{field}` is ignored on OpenShift"),
            )
            .label("not emitted")
            .help(format!(
                "remove `{field}`: the restricted-v2 SCC assigns a non-root ID from the namespace's range"
            ))
            .note("`platform = openshift` leaves runAsUser, runAsGroup and fsGroup unset"),
            RuleError::ObjectNameClash {
                span,
                name,
                kind,
                first_kind,
                first,
            } => Diagnostic::new(
                Code::ObjectNameClash,
                span,
                format!(
                    "`{name}` would emit objects named like {} `{name}`",
                    first_kind.as_str()
                ),
            )
            .label(format!(
                "this {} emits a Deployment `{name}`",
                kind.as_str()
            ))
            .with_secondary(first, format!("so does this {}", first_kind.as_str()))
            .help("workloads share one namespace: give them different names"),
        }
    }
}

/// The type field, the profile field and an example profile of `kind`.
fn profile_words(kind: ProfileKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        ProfileKind::Seccomp => (
            "seccomp",
            "seccomp-localhost-profile",
            "profiles/prefect.json",
        ),
        ProfileKind::AppArmor => ("apparmor", "apparmor-localhost-profile", "k8s-prefect"),
    }
}
