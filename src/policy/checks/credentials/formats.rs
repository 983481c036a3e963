//! The known credential formats: a Prefect API key, a PEM private key, a
//! password in a URL, … found by their form whatever they are called.

use super::literals::Literals;
use super::names::{has_word, placeholder};
use crate::policy::wording::Credential;

/// A credential found in a value: its kind and where it is.
pub(super) struct Hit {
    pub(super) kind: Credential,
    start: usize,
    end: usize,
}

impl Hit {
    pub(super) fn text<'v>(&self, value: &'v str) -> &'v str {
        &value[self.start..self.end]
    }
}

/// Finds one credential format in a value: the byte range it occupies.
type Finder = fn(&str) -> Option<(usize, usize)>;

/// The known formats in the order they are tried (the first found wins),
/// each with the literals of [`LITERALS`] it cannot be found without (any
/// one of them).
const FORMATS: &[(Credential, u32, Finder)] = &[
    (
        Credential::PemPrivateKey,
        bit("-----BEGIN "),
        pem_private_key,
    ),
    (
        Credential::GoogleServiceAccountKey,
        bit("\"private_key\""),
        google_service_account,
    ),
    (Credential::PrefectApiKey, bits(&["pnu_", "pnb_"]), |v| {
        prefixed(v, &["pnu_", "pnb_"], 36, 36, alnum)
    }),
    (Credential::AwsAccessKeyId, bits(&["AKIA", "ASIA"]), |v| {
        prefixed(v, &["AKIA", "ASIA"], 16, 16, |c| {
            c.is_ascii_uppercase() || c.is_ascii_digit()
        })
    }),
    (
        Credential::GitHubToken,
        bits(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        |v| {
            prefixed(v, &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], 36, 255, alnum)
                .or_else(|| prefixed(v, &["github_pat_"], 22, 255, word))
        },
    ),
    (Credential::GitLabToken, bit("glpat-"), |v| {
        prefixed(v, &["glpat-"], 20, 255, |c| word(c) || c == '-')
    }),
    (
        Credential::SlackToken,
        bits(&["xoxa-", "xoxb-", "xoxp-", "xoxr-"]),
        |v| {
            prefixed(v, &["xoxa-", "xoxb-", "xoxp-", "xoxr-"], 10, 255, |c| {
                alnum(c) || c == '-'
            })
        },
    ),
    (
        Credential::AzureStorageAccountKey,
        bit("AccountKey="),
        |v| prefixed(v, &["AccountKey="], 20, 255, base64),
    ),
    (Credential::JsonWebToken, bit("eyJ"), jwt),
    // Every prefix of `WEBHOOKS` holds `hook`.
    (Credential::WebhookUrl, bit("hook"), webhook_url),
    (Credential::UrlPassword, bit("://"), url_password),
];

/// The first known credential format in `value`; `name` (the env var or
/// key it is the value of) lets a bare 40-character AWS secret key count.
pub(super) fn credential_in(value: &str, name: Option<&str>) -> Option<Hit> {
    // The `private_key` of a service-account key read as JSON.
    if name == Some("private_key") && !value.trim().is_empty() {
        return Some(Hit {
            kind: Credential::GoogleServiceAccountKey,
            start: 0,
            end: value.len(),
        });
    }
    for (kind, _, check) in tried(SET.found_in(value)) {
        if let Some((start, end)) = check(value) {
            return Some(Hit {
                kind: *kind,
                start,
                end,
            });
        }
    }
    if !name.is_some_and(|n| has_word(n, "AWS")) {
        return None;
    }
    let v = value.trim();
    (v.len() == 40
        && v.chars().all(base64)
        && v.chars().any(|c| c.is_ascii_lowercase())
        && v.chars().any(|c| c.is_ascii_uppercase())
        && v.chars().any(|c| c.is_ascii_digit()))
    .then(|| {
        let start = value.find(v).unwrap_or(0);
        Hit {
            kind: Credential::AwsSecretAccessKey,
            start,
            end: start + v.len(),
        }
    })
}

/// The formats worth trying in a value that holds the literals `found`:
/// none without an anchor (a webhook URL's prefix alone is not enough),
/// else those whose literals it holds, in order. Each finder starts from
/// its literals, so the others would find nothing.
fn tried(found: u32) -> impl Iterator<Item = &'static (Credential, u32, Finder)> {
    let formats = if found & ANCHORS == 0 { &[] } else { FORMATS };
    formats
        .iter()
        .filter(move |(_, needs, _)| found & needs != 0)
}

/// The literal every format's finder starts from (an anchor), then
/// `hook`: a value with no anchor has no known format (one pass over it,
/// instead of one per finder and prefix), and a webhook URL holds `hook`
/// as well.
const LITERALS: &[&str] = &[
    "-----BEGIN ",
    "\"private_key\"",
    "pnu_",
    "pnb_",
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxa-",
    "xoxb-",
    "xoxp-",
    "xoxr-",
    "AccountKey=",
    "eyJ",
    "://",
    "hook",
];

static SET: Literals = Literals::new(LITERALS, false);

/// The anchors' bits of [`LITERALS`]: all but `hook`.
const ANCHORS: u32 = bit("hook") - 1;

/// The bit of `literal` in what [`Literals::found_in`] answers for [`LITERALS`]
/// (the loop returns before its end: `<` and `<=` there were one test).
const fn bit(literal: &str) -> u32 {
    let mut i = 0;
    while i != LITERALS.len() {
        if LITERALS[i].len() == literal.len() {
            let (a, b) = (LITERALS[i].as_bytes(), literal.as_bytes());
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return 1 << i;
            }
        }
        i += 1;
    }
    panic!("a literal of LITERALS")
}

/// The incoming-webhook URLs whose path is the secret (anyone holding the
/// URL can post): the path after each prefix, with the minimum number of
/// segments and the minimum length of the last (the token).
const WEBHOOKS: &[(&str, usize, usize)] = &[
    // https://hooks.slack.com/services/T…/B…/<24 characters>
    ("hooks.slack.com/services/", 3, 16),
    // https://hooks.slack.com/workflows/T…/A…/<id>/<secret>
    ("hooks.slack.com/workflows/", 4, 16),
    // https://discord.com/api/webhooks/<id>/<token>
    ("discord.com/api/webhooks/", 2, 30),
    ("discordapp.com/api/webhooks/", 2, 30),
    // https://<tenant>.webhook.office.com/webhookb2/<ids>/IncomingWebhook/<id>/<guid>
    ("webhook.office.com/webhookb2/", 4, 16),
];

pub(super) fn any_anchor(value: &str) -> bool {
    SET.found_in(value) & ANCHORS != 0
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn base64(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')
}

/// `prefix` followed by `min..=max` characters of `body`, standing alone
/// (no word character right before the prefix or right after the body).
fn prefixed(
    v: &str,
    prefixes: &[&str],
    min: usize,
    max: usize,
    body: fn(char) -> bool,
) -> Option<(usize, usize)> {
    for p in prefixes {
        for (at, _) in v.match_indices(p) {
            if v[..at].chars().next_back().is_some_and(alnum) {
                continue;
            }
            let rest = &v[at + p.len()..];
            let n = rest.chars().take_while(|c| body(*c)).count();
            let after = rest[n..].chars().next();
            if (min..=max).contains(&n) && !after.is_some_and(alnum) {
                return Some((at, at + p.len() + n));
            }
        }
    }
    None
}

/// `-----BEGIN … PRIVATE KEY-----` (RSA, EC, OPENSSH, ENCRYPTED, PGP …).
fn pem_private_key(v: &str) -> Option<(usize, usize)> {
    for (at, _) in v.match_indices("-----BEGIN ") {
        let rest = &v[at..];
        let Some(end) = rest[11..].find("-----") else {
            continue;
        };
        let label = &rest[11..11 + end];
        if label.contains("PRIVATE KEY") {
            // The whole key, to its END line (or the value's end): a
            // finding's snippet masks what the hit covers.
            let body = 11 + end + 5;
            let footer = format!("-----END {label}-----");
            let key = rest[body..]
                .find(&footer)
                .map_or(rest.len(), |i| body + i + footer.len());
            return Some((at, at + key));
        }
    }
    None
}

/// `"private_key": "…"` of a Google service-account JSON key.
fn google_service_account(v: &str) -> Option<(usize, usize)> {
    for (at, _) in v.match_indices("\"private_key\"") {
        let rest = v[at + 13..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        if rest.starts_with('"') && !rest.starts_with("\"\"") {
            // To the end of the key's string (or the value's end).
            let value = v.len() - rest.len();
            let mut escaped = false;
            let close = rest[1..].find(|c: char| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes
            });
            return Some((at, close.map_or(v.len(), |i| value + 1 + i + 1)));
        }
    }
    None
}

/// `eyJ….eyJ….…`: a header and a payload that are base64url JSON objects.
fn jwt(v: &str) -> Option<(usize, usize)> {
    let b64url = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
    for (at, _) in v.match_indices("eyJ") {
        if v[..at].chars().next_back().is_some_and(b64url) {
            continue;
        }
        let rest = &v[at..];
        let header = rest.chars().take_while(|c| b64url(*c)).count();
        if header < 10 || !rest[header..].starts_with(".eyJ") {
            continue;
        }
        let rest2 = &rest[header + 1..];
        let payload = rest2.chars().take_while(|c| b64url(*c)).count();
        if payload < 10 || !rest2[payload..].starts_with('.') {
            continue;
        }
        let sig = rest2[payload + 1..]
            .chars()
            .take_while(|c| b64url(*c))
            .count();
        return Some((at, at + header + 1 + payload + 1 + sig));
    }
    None
}

/// An incoming-webhook URL of [`WEBHOOKS`]: its secret path.
fn webhook_url(v: &str) -> Option<(usize, usize)> {
    let path_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '@');
    for (prefix, segments, token) in WEBHOOKS {
        for (at, _) in v.match_indices(prefix) {
            let start = at + prefix.len();
            let len = v[start..].chars().take_while(|c| path_char(*c)).count();
            let path = v[start..start + len].trim_end_matches('/');
            let parts: Vec<&str> = path.split('/').collect();
            let last = parts.last().map_or(0, |p| p.len());
            if parts.len() >= *segments && parts.iter().all(|p| !p.is_empty()) && last >= *token {
                return Some((start, start + path.len()));
            }
        }
    }
    None
}

/// `scheme://user:password@host`, any scheme; `user:@host`, placeholders
/// (`${PASS}`, `$(PASS)`, `{{ pass }}`) and masks (`***`) are not passwords.
fn url_password(v: &str) -> Option<(usize, usize)> {
    for (at, _) in v.match_indices("://") {
        let scheme = v[..at]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
            .count();
        if scheme == 0 {
            continue;
        }
        let rest = &v[at + 3..];
        let authority_len = rest
            .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\'' | '`') || c.is_whitespace())
            .unwrap_or(rest.len());
        let authority = &rest[..authority_len];
        let Some(userinfo_end) = authority.rfind('@') else {
            continue;
        };
        let userinfo = &authority[..userinfo_end];
        let Some((_, password)) = userinfo.split_once(':') else {
            continue;
        };
        if password.is_empty() || placeholder(password) {
            continue;
        }
        let start = at + 3 + userinfo.len() - password.len();
        return Some((start, start + password.len()));
    }
    None
}

/// The bits of `literals` in what [`Literals::found_in`] answers for
/// [`LITERALS`] (a format found by any one of them).
const fn bits(literals: &[&str]) -> u32 {
    let mut mask = 0;
    let mut i = 0;
    while i < literals.len() {
        mask |= bit(literals[i]);
        i += 1;
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFECT: &str = "pnu_0123456789abcdefghijklmnopqrstuvwxyz";

    #[test]
    fn known_formats() {
        let cases = [
            (PREFECT, "a Prefect API key"),
            (
                "key=pnb_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 rest",
                "a Prefect API key",
            ),
            ("AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
            ("ASIAIOSFODNN7EXAMPLE", "an AWS access key id"),
            ("ghp_0123456789abcdefghijklmnopqrstuvwxyz", "a GitHub token"),
            (
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
                "a GitHub token",
            ),
            ("glpat-abcdefghij0123456789", "a GitLab token"),
            // Its body may hold `-` (and `_`): 20 characters only with them.
            ("glpat-abcd-fghij_12345-789", "a GitLab token"),
            ("xoxb-123456789012-abcdefghijkl", "a Slack token"),
            (
                "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abcdefghijklmnopqrstuv0123456789+/==;",
                "an Azure storage account key",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
                "a PEM private key",
            ),
            (
                "{\"type\": \"service_account\", \"private_key\": \"x\"}",
                "a Google service-account key",
            ),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "a JSON Web Token",
            ),
            ("postgresql://u:p@db/prefect", "a password in a URL"),
            (
                "--url=redis+tls://default:s3cret@redis:6379/0",
                "a password in a URL",
            ),
            ("ftp://user:p%40ss@host", "a password in a URL"),
            (
                "https://hooks.slack.com/services/T024BE7LD/B01ABCDEFGH/abcdefghijklmnopqrstuvwx",
                "a webhook URL",
            ),
            (
                "url: https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFGH",
                "a webhook URL",
            ),
            (
                "https://acme.webhook.office.com/webhookb2/0123abcd-0000-1111-2222-333344445555@aaaa/IncomingWebhook/0123456789abcdef0123456789abcdef/0123abcd-0000-1111-2222-333344445555",
                "a webhook URL",
            ),
        ];
        for (value, kind) in cases {
            let hit = credential_in(value, None).unwrap_or_else(|| panic!("{value}"));
            assert_eq!(hit.kind.noun(), kind, "{value}");
        }
        assert_eq!(
            credential_in(
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                Some("AWS_SECRET_ACCESS_KEY")
            )
            .map(|h| h.kind.noun()),
            Some("an AWS secret access key")
        );
        // A token's hit ends where its characters do, before the text after it.
        for (value, token) in [
            (
                "token=glpat-abcdefghij0123456789 next",
                "glpat-abcdefghij0123456789",
            ),
            (
                "Bearer github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz, next",
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
            ),
        ] {
            let hit = credential_in(value, None).expect("a token");
            assert_eq!(&value[hit.start..hit.end], token);
        }
        // The hit is the key itself, where the value has spaces around it:
        // a finding points at those characters of the source.
        let padded = "  wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ";
        let hit = credential_in(padded, Some("AWS_SECRET_ACCESS_KEY")).expect("a key");
        assert_eq!(
            &padded[hit.start..hit.end],
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        );
    }

    #[test]
    fn not_known_formats() {
        for value in [
            "pnu_abc",
            "postgresql://db/prefect",
            "https://user@host/",
            "postgresql://user:@host/db",
            "postgresql://user:${DB_PASS}@host/db",
            "postgresql://user:$(DB_PASS)@host/db",
            "postgresql://user:{{ password }}@host/db",
            "https://prefect.acme.io/api",
            "http://prefect.prefect.svc.cluster.local:4200/api",
            "-----BEGIN CERTIFICATE-----",
            "-----BEGIN PUBLIC KEY-----",
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "{\"private_key\": {\"type\": \"string\"}}",
            "AKIAshort",
            "passthrough",
            "https://hooks.slack.com/services/",
            "https://hooks.slack.com/services/T024BE7LD/B01ABCDEFGH",
            "https://api.slack.com/messaging/webhooks",
            "https://discord.com/api/webhooks/${DISCORD_WEBHOOK}",
            "https://discord.com/developers/docs/resources/webhook",
        ] {
            assert!(credential_in(value, None).is_none(), "{value}");
        }
        // A 40-character string is a secret key only next to an AWS name.
        assert!(credential_in("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Some("X")).is_none());
    }
}
/// Where each format's hit is: the characters a finding points at in the
/// source, not the text around them.
#[cfg(test)]
mod hits {
    #[test]
    fn every_format_hits_the_credential_itself() {
        for (value, hit) in [
            // The whole key: a snippet masks what the hit covers.
            (
                "x -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- y",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
            ),
            (
                "-----BEGIN EC PRIVATE KEY-----\nMHcC (cut)",
                "-----BEGIN EC PRIVATE KEY-----\nMHcC (cut)",
            ),
            (
                "{\"type\": \"service_account\", \"private_key\": \"x\\\"y\\n\", \"z\": 1}",
                "\"private_key\": \"x\\\"y\\n\"",
            ),
            ("{\"private_key\": \"cut", "\"private_key\": \"cut"),
            // A key of odd length: the string ends at its first unescaped
            // quote, not at a later one.
            (
                "{\"private_key\": \"abc\", \"client_email\": \"x\"}",
                "\"private_key\": \"abc\"",
            ),
            (
                "a eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U b",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            ),
            (
                "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abcdefghijklmnopqrstuv0123456789+/==;",
                "AccountKey=abcdefghijklmnopqrstuv0123456789+/==",
            ),
            ("x postgresql://u:p@db/prefect y", "p"),
            ("--url=redis+tls://default:s3cret@redis:6379/0", "s3cret"),
            ("ftp://user:p%40ss@host", "p%40ss"),
            (
                "see https://hooks.slack.com/services/T024BE7LD/B01ABCDEFGH/abcdefghijklmnopqrstuvwx now",
                "T024BE7LD/B01ABCDEFGH/abcdefghijklmnopqrstuvwx",
            ),
            (
                "xoxb-123456789012-abcdefghijkl end",
                "xoxb-123456789012-abcdefghijkl",
            ),
            ("AKIAIOSFODNN7EXAMPLE end", "AKIAIOSFODNN7EXAMPLE"),
            (
                "k pnu_0123456789abcdefghijklmnopqrstuvwxyz z",
                "pnu_0123456789abcdefghijklmnopqrstuvwxyz",
            ),
        ] {
            let h = super::credential_in(value, None).unwrap_or_else(|| panic!("{value}"));
            assert_eq!(&value[h.start..h.end], hit, "{value}");
        }
    }
}

/// A JSON Web Token's parts: a header and a payload of at least ten
/// base64url characters each, each followed by its `.`.
#[cfg(test)]
mod jwt_parts {
    use super::jwt;

    #[test]
    fn ten_characters_and_a_dot_make_a_part() {
        // Ten-character header and payload: the shortest token.
        let shortest = "eyJhbGciOi.eyJzdWIiOi.c2ln";
        assert_eq!(jwt(shortest), Some((0, shortest.len())));
        for not_a_token in [
            // Nine characters of header, or of payload.
            "eyJhbGciO.eyJzdWIiOi.c2ln",
            "eyJhbGciOi.eyJzdWIiO.c2ln",
            // A long header not followed by `.eyJ`.
            "eyJhbGciOiJIUzI1NiJ9.abcdefghijklmnop.c2ln",
            // A long payload not followed by `.`.
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0 end",
        ] {
            assert_eq!(jwt(not_a_token), None, "{not_a_token}");
        }
    }
}

/// Where a webhook's secret path and a URL's authority end.
#[cfg(test)]
mod url_parts {
    use super::{url_password, webhook_url};

    #[test]
    fn a_webhook_needs_every_segment_and_a_long_token() {
        let slack = "https://hooks.slack.com/services/";
        assert!(
            webhook_url(&format!(
                "{slack}T024BE7LD/B01ABCDEFGH/abcdefghijklmnopqrstuvwx"
            ))
            .is_some()
        );
        for not_a_webhook in [
            // Two segments, however long the last.
            "T024BE7LD/abcdefghijklmnopqrstuvwx",
            // Three segments, the token too short.
            "T024BE7LD/B01ABCDEFGH/short",
            // An empty segment.
            "T024BE7LD//abcdefghijklmnopqrstuvwx",
        ] {
            assert_eq!(
                webhook_url(&format!("{slack}{not_a_webhook}")),
                None,
                "{not_a_webhook}"
            );
        }
    }

    #[test]
    fn the_authority_ends_at_the_path_query_or_a_space() {
        for not_a_password in [
            "https://example.com/login?next=a:b@c",
            "https://example.com?u=a:b@c",
            "http://host and later user:pw@x",
        ] {
            assert_eq!(url_password(not_a_password), None, "{not_a_password}");
        }
        assert!(url_password("https://user:pw@example.com/login").is_some());
    }
}

/// Only the formats whose literals a value holds are tried, and only
/// when it holds an anchor; they find what trying every format did.
#[cfg(test)]
mod gates {
    use super::*;

    fn kinds(value: &str) -> Vec<&'static str> {
        tried(SET.found_in(value))
            .map(|(kind, _, _)| kind.noun())
            .collect()
    }

    /// A format's literals are a set: naming one twice changes nothing.
    #[test]
    fn a_format_s_bits_are_its_literals_bits() {
        assert_eq!(bits(&["pnu_", "pnu_"]), bit("pnu_"));
        assert_eq!(bits(&["pnu_", "pnb_"]), bit("pnu_") + bit("pnb_"));
        assert_eq!(bits(&[]), 0);
    }

    #[test]
    fn formats_are_tried_by_their_literals() {
        assert_eq!(kinds("postgresql://u:p@db"), ["a password in a URL"]);
        assert_eq!(
            kinds("AKIA ghp_"),
            ["an AWS access key id", "a GitHub token"]
        );
        assert_eq!(
            kinds("https://hooks.slack.com/services/"),
            ["a webhook URL", "a password in a URL"]
        );
        assert!(kinds("hooks.slack.com/services/").is_empty());
        assert!(kinds("prefect-worker").is_empty());
        assert_eq!(ANCHORS.count_ones() as usize, LITERALS.len() - 1);
        assert_eq!(ANCHORS & bit("hook"), 0);
    }

    /// What `credential_in` answered when every format was tried in a
    /// value with any anchor (as before the gates).
    fn reference(value: &str, name: Option<&str>) -> Option<(Credential, usize, usize)> {
        if name == Some("private_key") && !value.trim().is_empty() {
            return Some((Credential::GoogleServiceAccountKey, 0, value.len()));
        }
        if LITERALS[..LITERALS.len() - 1]
            .iter()
            .any(|a| value.contains(a))
        {
            // The order every format was tried in, each by its finder.
            for kind in [
                Credential::PemPrivateKey,
                Credential::GoogleServiceAccountKey,
                Credential::PrefectApiKey,
                Credential::AwsAccessKeyId,
                Credential::GitHubToken,
                Credential::GitLabToken,
                Credential::SlackToken,
                Credential::AzureStorageAccountKey,
                Credential::JsonWebToken,
                Credential::WebhookUrl,
                Credential::UrlPassword,
            ] {
                let (_, _, check) = FORMATS
                    .iter()
                    .find(|(k, _, _)| k.noun() == kind.noun())
                    .expect("a finder of each kind");
                if let Some((start, end)) = check(value) {
                    return Some((kind, start, end));
                }
            }
        }
        let aws_name = name.is_some_and(|n| has_word(n, "AWS"));
        let v = value.trim();
        (aws_name
            && v.len() == 40
            && v.chars().all(base64)
            && v.chars().any(|c| c.is_ascii_lowercase())
            && v.chars().any(|c| c.is_ascii_uppercase())
            && v.chars().any(|c| c.is_ascii_digit()))
        .then(|| {
            let start = value.find(v).unwrap_or(0);
            (Credential::AwsSecretAccessKey, start, start + v.len())
        })
    }

    /// Random mixes of every format's prefixes, anchors, whole
    /// credentials, near misses and noise: the same kind at the same
    /// place as the reference.
    #[test]
    fn the_same_findings_as_trying_every_format() {
        let pieces = [
            "-----BEGIN ",
            "RSA PRIVATE KEY-----\nMIIE\n",
            "-----END RSA PRIVATE KEY-----",
            "CERTIFICATE-----",
            "\"private_key\"",
            ": \"",
            "\"",
            "pnu_",
            "pnb_",
            "0123456789abcdefghijklmnopqrstuvwxyz",
            "AKIA",
            "ASIA",
            "IOSFODNN7EXAMPLE",
            "ghp_",
            "gho_",
            "ghu_",
            "ghs_",
            "ghr_",
            "github_pat_",
            "11ABCDEFG0123456789_abcd",
            "glpat-",
            "xoxa-",
            "xoxb-",
            "xoxp-",
            "xoxr-",
            "123456789012-abcdefghijkl",
            "AccountKey=",
            "abcdefghijklmnopqrstuv0123456789+/==",
            "eyJ",
            "hbGciOiJIUzI1NiJ9",
            ".",
            "://",
            "postgresql",
            "u:p@db",
            "user:${PASS}@h",
            "/",
            "hooks.slack.com/services/",
            "discord.com/api/webhooks/",
            "webhook.office.com/webhookb2/",
            "hook",
            "T024BE7LD/B01ABCDEFGH/",
            "abcdefghijklmnopqrstuvwx",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            " ",
            "-",
            "_",
            "x",
            "é",
            "prefect-worker",
            // Whole credentials of each format, so that two meet in a value.
            "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----",
            "{\"private_key\": \"k\\\"ey\"}",
            "pnu_0123456789abcdefghijklmnopqrstuvwxyz",
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
            "glpat-abcd-fghij_12345-789",
            "xoxb-123456789012-abcdefghijkl",
            "AccountKey=abcdefghijklmnopqrstuv0123456789+/==;",
            "eyJhbGciOi.eyJzdWIiOi.c2ln",
            "https://hooks.slack.com/services/T024BE7LD/B01ABCDEFGH/abcdefghijklmnopqrstuvwx",
            "discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz0123456789",
            "redis+tls://default:s3cret@redis:6379/0",
        ];
        let names = [None, Some("AWS_SECRET"), Some("private_key"), Some("URL")];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut found = 0;
        for _ in 0..50_000 {
            let mut value = String::new();
            for _ in 0..next() % 6 {
                value.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let name = names[(next() % names.len() as u64) as usize];
            let hit = credential_in(&value, name).map(|h| (h.kind, h.start, h.end));
            let want = reference(&value, name);
            assert_eq!(
                hit.map(|(k, s, e)| (k.noun(), s, e)),
                want.map(|(k, s, e)| (k.noun(), s, e)),
                "{value:?} {name:?}"
            );
            found += usize::from(hit.is_some());
        }
        // Mixes find something often enough to compare winners.
        assert!(found > 5_000, "{found}");
    }
}
