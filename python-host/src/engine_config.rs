//! The engine configuration of every subcommand, and where the code cache lives.
//!
//! `flint compile` fills the cache for later runs, so it must configure the engine exactly as
//! they do: a cache entry's key covers the settings that affect code (see the engine's
//! `jit/cache.rs`). Every subcommand therefore gets its configuration here.

use std::path::PathBuf;

use flint_engine::{Config, Tier};

/// The engine configuration for running on `tier`, with the code cache in `cache_dir()`.
pub fn engine_config(tier: Tier) -> Config {
    Config {
        tier,
        cache_dir: cache_dir(),
        ..Config::default()
    }
}

/// The code cache directory: `$FLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/flint`, else
/// `~/.cache/flint`; `None` (no caching) when none of these is set.
pub fn cache_dir() -> Option<PathBuf> {
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("FLINT_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("flint")))
        .or_else(|| var("HOME").map(|d| d.join(".cache").join("flint")))
}
