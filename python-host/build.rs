//! Links the `flint` binary as a position-dependent executable on Linux: as a PIE, every start
//! of this large binary first had the dynamic loader apply about 17,500 relocations (writing
//! some 50 pages of pointer tables), which cost a noticeable part of a whole `flint --version`.
//! Position-independent code links fine into such an executable, so the crates need not be
//! compiled differently.

fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if target_os == "linux" && target_env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
