//! Invocation-IDs: 32 upper-case hex digits. A scenario may give one; otherwise it is derived
//! from the server's name so that the same scenario always gives the same IDs (no randomness).

/// FNV-1a over `text`, starting from `seed`.
fn fnv1a(seed: u64, text: &str) -> u64 {
    text.bytes()
        .fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A stable Invocation-ID for `name` (different names give different IDs).
pub fn derive_invocation_id(name: &str) -> String {
    let a = fnv1a(0xcbf2_9ce4_8422_2325, name);
    let b = fnv1a(0x84222325_cbf29ce4, &format!("{name}#usnlab"));
    format!("{a:016X}{b:016X}")
}

/// True for 32 hex digits (either case); the lab stores them upper-case.
pub fn is_invocation_id(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let a = derive_invocation_id("Boston01");
        assert_eq!(a, derive_invocation_id("Boston01"));
        assert_ne!(a, derive_invocation_id("NewYork01"));
        assert!(is_invocation_id(&a));
        assert_eq!(a, a.to_uppercase());
    }
}
