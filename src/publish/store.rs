//! Publishing to S3-compatible object storage (AWS S3, Alibaba Cloud OSS,
//! Tencent COS, Cloudflare R2, MinIO) with `object_store`. Incremental: a
//! manifest object that nianbao owns records each file's content hash and
//! the ETag the store gave it; only what changed is uploaded (in
//! parallel, with retries), then the files an earlier publish uploaded and
//! the site no longer has are deleted, then the manifest is written. An
//! object nianbao did not upload is never touched, even under the prefix.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions, PutPayload,
    RetryConfig,
};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::output::stage::{Changes, SiteFiles};

/// The manifest's name below the prefix.
pub const MANIFEST: &str = ".nianbao-manifest.json";

/// How many uploads run at once.
const PARALLEL: usize = 8;

/// A bucket and a prefix to publish under: `s3://reports/2020/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreTarget {
    /// The bucket.
    pub bucket: String,
    /// The prefix inside it, without slashes around ("" for the root).
    pub prefix: String,
    /// The S3 endpoint (`--endpoint`, else `AWS_ENDPOINT_URL`).
    pub endpoint: Option<String>,
    /// Print what would happen and change nothing.
    pub dry_run: bool,
}

impl StoreTarget {
    /// Parses `s3://BUCKET/PREFIX`; the error says what is wrong. Any other
    /// `scheme://` is refused rather than taken for a folder.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(Error::Usage(format!("`{url}` is not an s3:// URL")));
        };
        if !scheme.eq_ignore_ascii_case("s3") {
            return Err(Error::Usage(format!(
                "publishing to `{scheme}://` is not supported: use s3://BUCKET/PREFIX (S3, OSS, COS, R2, MinIO) or a folder path"
            )));
        }
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.';
        if bucket.len() < 3 || bucket.len() > 63 || !bucket.chars().all(valid) {
            return Err(Error::Usage(format!(
                "`{bucket}` is not a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens"
            )));
        }
        let prefix = prefix.trim_matches('/');
        if prefix.split('/').any(|p| p == ".." || p == ".") {
            return Err(Error::Usage(format!(
                "the prefix `{prefix}` may not hold `.` or `..`"
            )));
        }
        Ok(Self {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
            endpoint: None,
            dry_run: false,
        })
    }

    /// `s3://bucket/prefix/`, for messages.
    pub fn url(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3://{}/", self.bucket)
        } else {
            format!("s3://{}/{}/", self.bucket, self.prefix)
        }
    }

    fn key(&self, path: &str) -> ObjectPath {
        if self.prefix.is_empty() {
            ObjectPath::from(path)
        } else {
            ObjectPath::from(format!("{}/{path}", self.prefix))
        }
    }
}

/// What nianbao recorded of its last publish under the prefix.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    files: BTreeMap<String, Entry>,
}

/// One published file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// BLAKE3 of the content (hex).
    hash: String,
    size: u64,
    /// The ETag the store gave it.
    #[serde(default)]
    etag: Option<String>,
}

/// Publishes `files` to the store; returns what changed (with `dry_run`,
/// what would). The error names the bucket or endpoint and what failed.
pub fn publish(files: &SiteFiles<'_>, target: &StoreTarget) -> Result<Changes, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Tool(format!("could not start the upload runtime: {e}")))?;
    let local = read_files(files)?;
    runtime.block_on(publish_async(local, target))
}

/// Each file's bytes, hash and headers, by path.
struct Local {
    bytes: Vec<u8>,
    hash: String,
}

fn read_files(files: &SiteFiles<'_>) -> Result<BTreeMap<String, Local>, Error> {
    files
        .iter()
        .filter(|(path, _)| path.as_str() != crate::output::sink::MARKER)
        .map(|(path, contents)| {
            let bytes = contents.read()?;
            let hash = blake3::hash(&bytes).to_hex().to_string();
            Ok((path.clone(), Local { bytes, hash }))
        })
        .collect()
}

async fn publish_async(
    local: BTreeMap<String, Local>,
    target: &StoreTarget,
) -> Result<Changes, Error> {
    let store = open(target)?;
    let fail = |what: &str, e: object_store::Error| store_error(target, what, e);
    let old = read_manifest(&store, target)
        .await
        .map_err(|e| fail("reading the manifest", e))?;
    let etags = list_etags(&store, target)
        .await
        .map_err(|e| fail("listing the bucket", e))?;
    let mut changes = Changes::default();
    let mut uploads: Vec<&String> = Vec::new();
    for (path, file) in &local {
        let recorded = old.files.get(path);
        let unchanged = recorded.is_some_and(|r| {
            r.hash == file.hash
                && (r.etag.is_none() || r.etag == etags.get(path).cloned().flatten())
        });
        match (recorded, unchanged) {
            (_, true) => changes.unchanged += 1,
            (Some(_), false) => {
                changes.changed.push(path.clone());
                uploads.push(path);
            }
            (None, false) => {
                changes.added.push(path.clone());
                uploads.push(path);
            }
        }
    }
    // Only what an earlier publish uploaded is deleted.
    changes.removed = old
        .files
        .keys()
        .filter(|p| !local.contains_key(*p))
        .cloned()
        .collect();
    if target.dry_run {
        return Ok(changes);
    }
    // Assets and images before the pages that use them.
    uploads.sort_by_key(|p| (p.ends_with(".html"), p.as_str()));
    let mut manifest = Manifest {
        version: 1,
        files: BTreeMap::new(),
    };
    for (path, file) in &local {
        if !uploads.contains(&path) {
            let entry = old.files.get(path).cloned().unwrap_or(Entry {
                hash: file.hash.clone(),
                size: file.bytes.len() as u64,
                etag: None,
            });
            manifest.files.insert(path.clone(), entry);
        }
    }
    if uploads.is_empty() && changes.removed.is_empty() && old.version == 1 {
        return Ok(changes);
    }
    // Files about to be uploaded are recorded first (with no hash, so they
    // are never taken as published): a run that fails half-way leaves them
    // known, and a later run deletes them if the site drops them.
    if !uploads.is_empty() {
        let mut interim = Manifest {
            version: 1,
            files: old.files.clone(),
        };
        for path in &uploads {
            interim.files.entry((*path).clone()).or_insert(Entry {
                hash: String::new(),
                size: 0,
                etag: None,
            });
        }
        write_manifest(&store, target, &interim)
            .await
            .map_err(|e| fail("writing the manifest", e))?;
    }
    let (assets, pages): (Vec<&String>, Vec<&String>) =
        uploads.iter().partition(|p| !p.ends_with(".html"));
    let total = uploads.len();
    let mut done = 0;
    for group in [assets, pages] {
        let results: Vec<(String, Entry)> = futures_util::stream::iter(group)
            .map(|path| {
                let store = &store;
                let file = &local[path];
                async move {
                    let etag = put(store, target, path, &file.bytes).await?;
                    let entry = Entry {
                        hash: file.hash.clone(),
                        size: file.bytes.len() as u64,
                        etag,
                    };
                    Ok::<_, object_store::Error>((path.clone(), entry))
                }
            })
            .buffer_unordered(PARALLEL)
            .inspect(|_| {
                done += 1;
                progress(done, total);
            })
            .try_collect()
            .await
            .map_err(|e| fail("uploading", e))?;
        manifest.files.extend(results);
    }
    if total > 0 && std::io::stderr().is_terminal() {
        eprintln!();
    }
    for path in &changes.removed {
        match store.delete(&target.key(path)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(fail("deleting", e)),
        }
    }
    write_manifest(&store, target, &manifest)
        .await
        .map_err(|e| fail("writing the manifest", e))?;
    Ok(changes)
}

async fn write_manifest(
    store: &AmazonS3,
    target: &StoreTarget,
    manifest: &Manifest,
) -> object_store::Result<()> {
    // Serializing maps of strings and numbers cannot fail.
    let json = serde_json::to_vec_pretty(manifest).unwrap_or_default();
    put(store, target, MANIFEST, &json).await.map(|_| ())
}

fn progress(done: usize, total: usize) {
    if std::io::stderr().is_terminal() {
        eprint!("\ruploading {done}/{total}");
    } else if done == total || done.is_multiple_of(100) {
        eprintln!("uploaded {done}/{total}");
    }
}

/// The store for `target`, from the environment and `--endpoint`, with
/// bounded time: a dead endpoint is an error within a minute.
fn open(target: &StoreTarget) -> Result<AmazonS3, Error> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let endpoint = target
        .endpoint
        .clone()
        .or_else(|| env("AWS_ENDPOINT_URL_S3"))
        .or_else(|| env("AWS_ENDPOINT_URL"))
        .or_else(|| env("AWS_ENDPOINT"));
    let profile = profile::Profile::from_env();
    let region = env("AWS_REGION")
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| profile.region.clone())
        .unwrap_or_else(|| "us-east-1".to_string());
    // AWS itself, Alibaba Cloud OSS and Tencent COS want the bucket in
    // the host name; MinIO, R2 and local servers take it in the path.
    let virtual_hosted = match env("AWS_S3_ADDRESSING_STYLE").as_deref() {
        Some("path") => false,
        Some("virtual") => true,
        _ => endpoint
            .as_deref()
            .is_none_or(|e| e.contains(".aliyuncs.com") || e.contains(".myqcloud.com")),
    };
    let endpoint = endpoint.map(|e| {
        if virtual_hosted {
            with_bucket_host(&e, &target.bucket)
        } else {
            e
        }
    });
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(&target.bucket)
        .with_region(region)
        .with_virtual_hosted_style_request(virtual_hosted)
        .with_client_options(
            ClientOptions::new()
                .with_allow_http(true)
                .with_connect_timeout(Duration::from_secs(5))
                .with_timeout(Duration::from_secs(30)),
        )
        .with_retry(RetryConfig {
            max_retries: 3,
            retry_timeout: Duration::from_secs(45),
            ..RetryConfig::default()
        });
    if let Some(endpoint) = &endpoint {
        builder = builder.with_endpoint(endpoint);
    }
    let key = env("AWS_ACCESS_KEY_ID").or_else(|| profile.key.clone());
    let secret = env("AWS_SECRET_ACCESS_KEY").or_else(|| profile.secret.clone());
    let token = env("AWS_SESSION_TOKEN").or_else(|| profile.token.clone());
    if let (Some(key), Some(secret)) = (key, secret) {
        builder = builder
            .with_access_key_id(key)
            .with_secret_access_key(secret);
        if let Some(token) = token {
            builder = builder.with_token(token);
        }
    }
    builder
        .build()
        .map_err(|e| store_error(target, "connecting", e))
}

/// `https://oss-cn-hangzhou.aliyuncs.com` → `https://reports.oss-cn-hangzhou.aliyuncs.com`:
/// a virtual-hosted endpoint names the bucket in its host.
fn with_bucket_host(endpoint: &str, bucket: &str) -> String {
    let Some((scheme, host)) = endpoint.split_once("://") else {
        return endpoint.to_string();
    };
    if host.starts_with(&format!("{bucket}.")) {
        endpoint.to_string()
    } else {
        format!("{scheme}://{bucket}.{host}")
    }
}

async fn read_manifest(store: &AmazonS3, target: &StoreTarget) -> object_store::Result<Manifest> {
    match store.get(&target.key(MANIFEST)).await {
        Ok(found) => {
            let bytes = found.bytes().await?;
            // A manifest nianbao cannot read is treated as none: every file
            // is uploaded again, and nothing is deleted.
            Ok(serde_json::from_slice(&bytes).unwrap_or_default())
        }
        Err(object_store::Error::NotFound { .. }) => Ok(Manifest::default()),
        Err(e) => Err(e),
    }
}

/// The ETag of every object under the prefix, by path below it.
async fn list_etags(
    store: &AmazonS3,
    target: &StoreTarget,
) -> object_store::Result<BTreeMap<String, Option<String>>> {
    let prefix = (!target.prefix.is_empty()).then(|| ObjectPath::from(target.prefix.as_str()));
    let mut listing = store.list(prefix.as_ref());
    let mut etags = BTreeMap::new();
    let strip = if target.prefix.is_empty() {
        String::new()
    } else {
        format!("{}/", target.prefix)
    };
    while let Some(meta) = listing.next().await {
        let meta = meta?;
        let key = meta.location.to_string();
        if let Some(path) = key.strip_prefix(&strip) {
            etags.insert(path.to_string(), meta.e_tag);
        }
    }
    Ok(etags)
}

async fn put(
    store: &AmazonS3,
    target: &StoreTarget,
    path: &str,
    bytes: &[u8],
) -> object_store::Result<Option<String>> {
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, content_type(path).into());
    attributes.insert(Attribute::CacheControl, cache_control(path).into());
    let options = PutOptions {
        attributes,
        ..PutOptions::default()
    };
    let result = store
        .put_opts(&target.key(path), PutPayload::from(bytes.to_vec()), options)
        .await?;
    Ok(result.e_tag)
}

/// The `Content-Type` of a published file.
pub fn content_type(path: &str) -> &'static str {
    if path == MANIFEST {
        return "application/json";
    }
    crate::http::content_type(path)
}

/// The `Cache-Control` of a published file: a year for files whose name
/// changes with their content (fingerprinted assets, photos), revalidated
/// for everything else (pages, feeds, the sitemap).
pub fn cache_control(path: &str) -> &'static str {
    if is_fingerprinted(path) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=0, must-revalidate"
    }
}

fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let in_dir = |dir: &str| path.starts_with(dir) || path.contains(&format!("/{dir}"));
    if in_dir("photos/") {
        return true;
    }
    // assets/style.a9237faf9a.css: a 10-hex fingerprint before the extension.
    in_dir("assets/")
        && name
            .rsplit('.')
            .nth(1)
            .is_some_and(|f| f.len() == 10 && f.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A store error in words naming the bucket or the endpoint.
fn store_error(target: &StoreTarget, doing: &str, e: object_store::Error) -> Error {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    let why = if lower.contains("169.254.169.254") {
        "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (a profile of ~/.aws/credentials)".to_string()
    } else if lower.contains("nosuchbucket") || lower.contains("no such bucket") {
        format!("the bucket `{}` does not exist", target.bucket)
    } else if lower.contains("accessdenied")
        || lower.contains("invalidaccesskeyid")
        || lower.contains("signaturedoesnotmatch")
        || lower.contains("403")
    {
        format!(
            "access to the bucket `{}` was refused: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)",
            target.bucket
        )
    } else if lower.contains("timed out") || lower.contains("operation timed") {
        "the endpoint did not answer in time".to_string()
    } else if lower.contains("error sending request")
        || lower.contains("connect")
        || lower.contains("dns")
    {
        "the endpoint could not be reached".to_string()
    } else {
        text.clone()
    };
    let endpoint = target
        .endpoint
        .clone()
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
        .unwrap_or_else(|| "AWS S3".to_string());
    Error::Tool(format!(
        "publishing to {} ({endpoint}) failed while {doing}: {why}\n  ({text})",
        target.url()
    ))
}

mod profile {
    //! Credentials and region from `~/.aws/credentials` and `~/.aws/config`
    //! for `AWS_PROFILE` (or `default`), when the environment has none.

    /// What a profile gives.
    #[derive(Debug, Default)]
    pub(super) struct Profile {
        pub(super) key: Option<String>,
        pub(super) secret: Option<String>,
        pub(super) token: Option<String>,
        pub(super) region: Option<String>,
    }

    impl Profile {
        pub(super) fn from_env() -> Self {
            let Some(home) = std::env::var_os("HOME") else {
                return Self::default();
            };
            let name = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
            let aws = std::path::Path::new(&home).join(".aws");
            let credentials = std::fs::read_to_string(aws.join("credentials")).unwrap_or_default();
            let config = std::fs::read_to_string(aws.join("config")).unwrap_or_default();
            let creds = section(&credentials, &name);
            let conf = section(
                &config,
                &if name == "default" {
                    name.clone()
                } else {
                    format!("profile {name}")
                },
            );
            let get = |s: &[(String, String)], k: &str| {
                s.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone())
            };
            Self {
                key: get(&creds, "aws_access_key_id"),
                secret: get(&creds, "aws_secret_access_key"),
                token: get(&creds, "aws_session_token"),
                region: get(&conf, "region"),
            }
        }
    }

    /// The `key = value` lines of section `[name]` of an INI text.
    pub(super) fn section(text: &str, name: &str) -> Vec<(String, String)> {
        let mut inside = false;
        let mut out = Vec::new();
        for line in text.lines().map(str::trim) {
            if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                inside = header.trim() == name;
            } else if inside && let Some((k, v)) = line.split_once('=') {
                out.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = StoreTarget::parse("s3://reports/2020/").unwrap();
        assert_eq!((t.bucket.as_str(), t.prefix.as_str()), ("reports", "2020"));
        assert_eq!(t.url(), "s3://reports/2020/");
        assert_eq!(t.key("index.html").to_string(), "2020/index.html");
        let root = StoreTarget::parse("s3://reports").unwrap();
        assert_eq!(root.key("index.html").to_string(), "index.html");
        assert_eq!(
            with_bucket_host("https://oss-cn-hangzhou.aliyuncs.com", "reports"),
            "https://reports.oss-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            with_bucket_host("https://reports.cos.ap-guangzhou.myqcloud.com", "reports"),
            "https://reports.cos.ap-guangzhou.myqcloud.com"
        );
        for bad in [
            "gs://x/y",
            "ftp://host",
            "s3://A_B/",
            "s3://x/../y",
            "s3://ab",
        ] {
            assert!(StoreTarget::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers() {
        assert_eq!(content_type("en/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            cache_control("assets/style.a9237faf9a.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("2021/photos/0123456789abcdef-960.webp"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("en/index.html"),
            "public, max-age=0, must-revalidate"
        );
        assert_eq!(
            cache_control("sitemap.xml"),
            "public, max-age=0, must-revalidate"
        );
        assert_eq!(
            cache_control("assets/logo.svg"),
            "public, max-age=0, must-revalidate"
        );
    }

    #[test]
    fn profiles() {
        let text = "[default]\naws_access_key_id = A\n[work]\naws_access_key_id=B\naws_secret_access_key = S\n";
        assert_eq!(
            profile::section(text, "work"),
            [
                ("aws_access_key_id".to_string(), "B".to_string()),
                ("aws_secret_access_key".to_string(), "S".to_string())
            ]
        );
    }
}
