//! Links `flint` with packed relative relocations (`DT_RELR`) where the C library applies them,
//! and on Linux with the functions restored Python runs execute placed together (`hot_code.ld`,
//! whose generator `hot_code.py` says why).
//!
//! `flint` is a position-independent executable, linked statically (`.cargo/config.toml`), that
//! relocates itself at every start: 17,900 relocation records, 430 KB read and processed before
//! `main`, about 1.5% of a restored Python run. Packed, they are a 4 KB bitmap. glibc applies
//! packed relocations from 2.36 on; an older static C library would ignore them and the binary
//! would crash at start, so the flag is only given when building for this machine's own C
//! library and that is recent enough.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let native = var("TARGET") == var("HOST");
    // The script's `INSERT BEFORE` is read by lld (Rust's default linker here) and GNU ld;
    // FLINT_NO_HOT_CODE=1 leaves it out, for a linker that does not read it.
    println!("cargo:rerun-if-env-changed=FLINT_NO_HOT_CODE");
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("FLINT_NO_HOT_CODE") != "1" {
        println!("cargo:rerun-if-changed=hot_code.ld");
        let script = std::path::Path::new(&var("CARGO_MANIFEST_DIR")).join("hot_code.ld");
        println!("cargo:rustc-link-arg-bins=-Wl,-T,{}", script.display());
    }
    if native
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && glibc_version().is_some_and(|v| v >= (2, 36))
    {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// The (major, minor) version of the C library this build script runs with, which a native
/// build links.
fn glibc_version() -> Option<(u32, u32)> {
    // SAFETY: gnu_get_libc_version returns a pointer to a static NUL-terminated string.
    let version = unsafe { std::ffi::CStr::from_ptr(libc::gnu_get_libc_version()) };
    let mut parts = version.to_str().ok()?.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}
