//! The site as served: the last good build in memory, and the errors of the
//! last build when it failed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::RwLock;
use std::time::Instant;

use tokio::sync::broadcast;

use crate::serve::ServeEvent;

/// One build's files, by URL path below the site root.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Generated files.
    pub files: HashMap<String, Vec<u8>>,
    /// Files served from the content folder as they are.
    pub copies: HashMap<String, PathBuf>,
}

/// The served state, shared by the server and the watcher.
pub struct LiveSite {
    options: crate::Options,
    state: RwLock<State>,
    reload: broadcast::Sender<u64>,
    shutdown: tokio::sync::watch::Sender<bool>,
}

#[derive(Default)]
struct State {
    site: std::sync::Arc<Snapshot>,
    /// Formatted errors of the last build, when it failed.
    errors: Option<Vec<String>>,
    version: u64,
}

impl LiveSite {
    /// A site with nothing built yet.
    pub fn new(options: crate::Options) -> Self {
        let (reload, _) = broadcast::channel(16);
        Self {
            options,
            state: RwLock::new(State::default()),
            reload,
            shutdown: tokio::sync::watch::Sender::new(false),
        }
    }

    /// The build options.
    pub fn options(&self) -> &crate::Options {
        &self.options
    }

    /// Rebuilds in memory, keeps the last good site when the build fails,
    /// and tells every open tab to reload.
    pub fn rebuild(&self, changed: Vec<PathBuf>) -> ServeEvent {
        let started = Instant::now();
        let result = crate::render_site(&self.options);
        let elapsed = started.elapsed();
        let (outcome, messages, snapshot, errors) = match result {
            Ok(rendered) => {
                let messages = rendered.warnings.iter().map(ToString::to_string).collect();
                let site = rendered.site;
                let snapshot = Snapshot {
                    files: site.files.into_iter().map(|f| (f.path, f.bytes)).collect(),
                    copies: site
                        .copies
                        .into_iter()
                        .map(|(src, dest)| (dest, src))
                        .collect(),
                };
                (Ok(rendered.pages), messages, Some(snapshot), None)
            }
            Err(crate::Error::Content(diags)) => {
                let messages: Vec<String> = diags.iter().map(ToString::to_string).collect();
                (
                    Err(diags.error_count()),
                    messages.clone(),
                    None,
                    Some(messages),
                )
            }
            Err(other) => {
                let message = other.to_string();
                (Err(1), vec![message.clone()], None, Some(vec![message]))
            }
        };
        let version = {
            let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
            if let Some(snapshot) = snapshot {
                state.site = std::sync::Arc::new(snapshot);
            }
            state.errors = errors;
            state.version += 1;
            state.version
        };
        // No receivers (no open tab) is not an error.
        let _ = self.reload.send(version);
        ServeEvent::Built {
            changed,
            elapsed,
            outcome,
            messages,
        }
    }

    /// The current site and the errors to show over it.
    pub fn current(&self) -> (std::sync::Arc<Snapshot>, Option<Vec<String>>) {
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        (state.site.clone(), state.errors.clone())
    }

    /// The number of builds so far (pages carry it, so a tab can tell it is stale).
    pub fn version(&self) -> u64 {
        self.state.read().unwrap_or_else(|p| p.into_inner()).version
    }

    /// Ends every open event stream, so the server can stop while tabs are open.
    pub fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    /// Resolves once [`LiveSite::shut_down`] was called.
    pub fn shutting_down(&self) -> impl std::future::Future<Output = ()> + Send + 'static + use<> {
        let mut rx = self.shutdown.subscribe();
        async move {
            let _ = rx.wait_for(|stopped| *stopped).await;
        }
    }

    /// A receiver of reload notifications.
    pub fn subscribe(&self) -> broadcast::Receiver<u64> {
        self.reload.subscribe()
    }
}
