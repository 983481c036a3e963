//! A view of every pod template the site emits and of its containers, with
//! the Pod Security semantics of inheritance: a container's unset field
//! takes the pod's value, an explicit container value wins.

use crate::lower::k8s::{
    Container, Object, PodMeta, PodSecurityContext, PodSpec, SeLinuxOptions, SeccompProfile,
    Tracked,
};
use crate::model::Prov;
use crate::source::Span;

/// One pod template and the object that carries it.
pub struct Pod<'a> {
    pub object: &'a Object,
    pub meta: &'a PodMeta,
    pub spec: &'a PodSpec,
    /// Deployments run until replaced; Jobs run to completion.
    pub long_running: bool,
}

/// The pod templates of `objects`.
pub fn pods(objects: &[Object]) -> impl Iterator<Item = Pod<'_>> {
    objects.iter().filter_map(|o| {
        let template = o.resource.pod_template()?;
        Some(Pod {
            object: o,
            meta: &template.metadata,
            spec: &template.spec,
            long_running: !o.resource.is_job(),
        })
    })
}

/// Calls `f` with every container of every pod.
pub fn each_container(objects: &[Object], mut f: impl FnMut(&Pod, &Ctr)) {
    for pod in pods(objects) {
        for c in pod.containers() {
            f(&pod, &c);
        }
    }
}

/// `Deployment/prefect`; a flow-run Job (judged, not emitted) is "the
/// flow-run Job of pool `jobs`" or "of worker `w`'s base-job-template".
pub fn object_name(o: &Object) -> String {
    match o.meta().annotations.get(crate::lower::FLOW_RUN_OF) {
        Some(of) => format!("the flow-run Job of {of}"),
        None => format!("{}/{}", o.kind(), o.meta().name),
    }
}

impl<'a> Pod<'a> {
    pub fn name(&self) -> String {
        object_name(self.object)
    }

    pub fn origin(&self) -> Span {
        self.object.origin
    }

    pub fn security(&self) -> &'a PodSecurityContext {
        &self.spec.security_context
    }

    /// Init containers first, then the containers, as the kubelet starts them.
    pub fn containers(&self) -> impl Iterator<Item = Ctr<'a>> + '_ {
        let pod = self.spec;
        pod.init_containers
            .iter()
            .map(|c| (c, true))
            .chain(pod.containers.iter().map(|c| (c, false)))
            .map(move |(c, init)| Ctr {
                container: c,
                pod,
                init,
                object: self.object,
            })
    }
}

/// One container and its pod.
pub struct Ctr<'a> {
    pub container: &'a Container,
    pub pod: &'a PodSpec,
    pub init: bool,
    object: &'a Object,
}

impl<'a> Ctr<'a> {
    /// `container \`prefect-worker\` of Deployment/w`, for notes; built
    /// only when there is a finding.
    pub fn place(&self) -> String {
        format!(
            "{} `{}` of {}",
            if self.init {
                "init container"
            } else {
                "container"
            },
            self.container.name,
            object_name(self.object)
        )
    }

    /// runAsNonRoot: the container's, else the pod's.
    pub fn run_as_non_root(&self) -> Option<&'a Tracked<bool>> {
        self.container
            .security_context
            .run_as_non_root
            .as_ref()
            .or(self.pod.security_context.run_as_non_root.as_ref())
    }

    /// The seccomp profile: the container's, else the pod's.
    pub fn seccomp(&self) -> Option<&'a SeccompProfile> {
        self.container
            .security_context
            .seccomp_profile
            .as_ref()
            .or(self.pod.security_context.seccomp_profile.as_ref())
    }

    /// The container's explicit AppArmor profile (the pod's is checked on its own).
    pub fn apparmor(&self) -> Option<&'a SeccompProfile> {
        self.container.security_context.app_armor_profile.as_deref()
    }

    pub fn selinux(&self) -> Option<&'a SeLinuxOptions> {
        self.container.security_context.se_linux_options.as_deref()
    }
}

/// The provenance of a tracked value, for a finding.
pub fn prov<T>(t: &Tracked<T>) -> Option<Prov> {
    Some(t.prov.clone())
}
