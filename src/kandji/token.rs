//! The Kandji API token, kept out of logs, errors and panics.

use reqwest::header::HeaderValue;

/// A Kandji API token. Its `Debug` and `Display` print nothing of the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl ApiToken {
    /// Wraps a token, trimming whitespace pasted around it. Fails on an empty token or one with
    /// characters that cannot go in an HTTP header; the error never repeats the token.
    pub fn new(token: &str) -> Result<Self, &'static str> {
        let token = token.trim();
        let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
        if token.is_empty() {
            return Err("the Kandji API token is empty; set KANDJI_API_TOKEN");
        }
        if !token.chars().all(|c| c.is_ascii_graphic()) {
            return Err(
                "the Kandji API token contains spaces or characters that are not \
                        printable ASCII; paste it again from Kandji's Settings > Access",
            );
        }
        Ok(Self(token.to_string()))
    }

    /// The `Authorization` header value, marked sensitive so HTTP debug logs hide it.
    pub fn bearer_header(&self) -> HeaderValue {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", self.0))
            .expect("ApiToken::new only admits printable ASCII");
        value.set_sensitive(true);
        value
    }

    /// The raw token, for the one place that must send it (the embedded mock's set-up).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_contains_the_token() {
        let token = ApiToken::new(" Bearer 11111111-2222-4333-8444-555555555555 ").unwrap();
        assert!(!format!("{token:?}").contains("1111"));
        assert_eq!(token.expose(), "11111111-2222-4333-8444-555555555555");
        assert!(token.bearer_header().is_sensitive());
    }

    #[test]
    fn empty_or_multiline_tokens_are_rejected_without_echoing_them() {
        assert!(ApiToken::new("  ").is_err());
        let err = ApiToken::new("abc\ndef").unwrap_err();
        assert!(!err.contains("abc"));
    }
}
