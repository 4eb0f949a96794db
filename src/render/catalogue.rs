//! The event catalogue as `hooktool events` shows it: grouped by provider with each provider's
//! delivery rules and what `validate` assumes of its payloads, facts the provider does not
//! document marked "assumed"; or as JSON.

use serde_json::{Value, json};

use crate::domain::catalogue::rules::format_curve;
use crate::domain::catalogue::{self, Fact, Provider, RetryAfterRule};
use crate::domain::duration;
use crate::domain::semantics::{self, Scope};
use crate::render::style::Palette;

fn assumed<T>(fact: &Fact<T>) -> &'static str {
    if fact.basis.is_assumed() {
        " (assumed)"
    } else {
        ""
    }
}

/// The Retry-After rule for people, with hooktool's reading of it labelled an interpretation:
/// `honoured, capped at the slot's delay; a shorter Retry-After shortens the wait
/// (interpretation, assumed)`.
pub fn retry_after_rule(rule: &Fact<RetryAfterRule>) -> String {
    let mut text = format!("{}{}", rule.value.label(), assumed(rule));
    if let Some(reading) = rule.value.interpretation() {
        let basis = if reading.basis.is_assumed() {
            ", assumed"
        } else {
            ""
        };
        text.push_str(&format!("; {} (interpretation{basis})", reading.value));
    }
    text
}

/// An assumed payload rule as `events` lists it: what is assumed, and the `validate` rule that
/// warns when a document breaks it.
fn assumption(rule: &semantics::Rule) -> String {
    format!("{} (validate warns: {})", rule.assumption, rule.id)
}

fn statuses(list: &[u16]) -> String {
    if list.is_empty() {
        return "none".to_string();
    }
    list.iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The catalogue for people: each provider's rules, then its events.
pub fn text(palette: Palette) -> String {
    let width = catalogue::events()
        .iter()
        .map(|event| event.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for &provider in catalogue::providers() {
        let rules = provider.rules();
        out.push_str(&format!(
            "{}  signed with {}{}\n",
            palette.strong(provider.display_name()),
            rules.signing.value,
            assumed(&rules.signing)
        ));
        out.push_str(&format!(
            "  retry curve   {} ({} deliver{}){}\n",
            format_curve(&rules.retry_delays.value),
            rules.max_attempts(),
            if rules.max_attempts() == 1 {
                "y"
            } else {
                "ies"
            },
            assumed(&rules.retry_delays)
        ));
        out.push_str(&format!(
            "  success       {}{}, within {}{}; permanent failures: {}{}\n",
            rules.success.value.label(),
            assumed(&rules.success),
            duration::format(rules.attempt_timeout.value),
            assumed(&rules.attempt_timeout),
            statuses(&rules.permanent_statuses.value),
            assumed(&rules.permanent_statuses),
        ));
        out.push_str(&format!(
            "  Retry-After   {}\n",
            retry_after_rule(&rules.retry_after)
        ));
        out.push_str(&format!(
            "  extra fields  {}\n",
            provider.extra_fields_policy()
        ));
        let provider_wide = semantics::RULES.iter().filter(|rule| {
            rule.is_assumed()
                && matches!(rule.scope, Scope::Providers(providers) if provider.built_in.is_some_and(|kind| providers.contains(&kind)))
        });
        for rule in provider_wide {
            out.push_str(&format!("  assumed       {}\n", assumption(rule)));
        }
        for event in catalogue::events_of(provider) {
            out.push_str(&format!(
                "  {}  {}\n",
                palette.good(&format!("{:<width$}", event.name)),
                event.description
            ));
            let own = semantics::assumptions_of(event)
                .filter(|rule| matches!(rule.scope, Scope::Events(_)));
            for rule in own {
                out.push_str(&format!(
                    "  {:<width$}  assumed: {}\n",
                    "",
                    assumption(rule)
                ));
            }
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "{}\n",
        palette.dim(
            "\"assumed\": not documented by the provider; hooktool's default, which flags can \
             change. A payload that breaks an assumption is a warning in `validate`, an error with \
             --strict."
        )
    ));
    out
}

fn fact_json<T: serde::Serialize>(fact: &Fact<T>) -> Value {
    json!({"value": fact.value, "basis": fact.basis})
}

fn rules_json(provider: &Provider) -> Value {
    let rules = provider.rules();
    json!({
        "signing": {"scheme": provider.signing.scheme_name(), "label": rules.signing.value, "basis": rules.signing.basis},
        "content_type": fact_json(&rules.content_type),
        "headers": rules.headers.iter().map(|header| json!({
            "name": header.name,
            "meaning": header.meaning,
            "basis": header.basis,
        })).collect::<Vec<_>>(),
        "retry": {
            "curve": format_curve(&rules.retry_delays.value),
            "delays_ms": rules.retry_delays.value.iter().map(|d| d.as_millis() as u64).collect::<Vec<_>>(),
            "max_attempts": rules.max_attempts(),
            "basis": rules.retry_delays.basis,
        },
        "success": {"rule": rules.success.value.label(), "basis": rules.success.basis},
        "permanent_statuses": fact_json(&rules.permanent_statuses),
        "retry_after": {
            "rule": rules.retry_after.value.label(),
            "basis": rules.retry_after.basis,
            "interpretation": rules.retry_after.value.interpretation().as_ref().map(fact_json),
        },
        "attempt_timeout_ms": {"value": rules.attempt_timeout.value.as_millis() as u64, "basis": rules.attempt_timeout.basis},
        "concurrency": rules.concurrency.as_ref().map(fact_json),
        "redirects_followed": fact_json(&rules.redirects_followed),
    })
}

/// The catalogue as one JSON document: every event with its provider's delivery rules.
pub fn json() -> Value {
    Value::Array(
        catalogue::events()
            .iter()
            .map(|event| {
                json!({
                    "name": event.name,
                    "short_name": event.short_name,
                    "provider": event.provider.id(),
                    "provider_name": event.provider.display_name(),
                    "description": event.description,
                    "extra_fields": event.provider.extra_fields_policy(),
                    "assumptions": semantics::assumptions_of(event).map(|rule| json!({
                        "rule": rule.id,
                        "assumed": rule.assumption,
                        "checks": rule.summary,
                    })).collect::<Vec<_>>(),
                    "delivery": rules_json(event.provider),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::Basis;
    use serde_json::json;

    #[test]
    fn json_lists_every_event_with_its_rules() {
        let value = json();
        let events = value.as_array().unwrap();
        assert_eq!(events.len(), 11);
        let beedeez = events
            .iter()
            .find(|e| e["name"] == "certificate_expired")
            .unwrap();
        assert_eq!(beedeez["delivery"]["retry"]["basis"], json!(Basis::Assumed));
        assert_eq!(beedeez["delivery"]["retry"]["max_attempts"], 100);
    }

    #[test]
    fn text_marks_assumptions() {
        let text = text(Palette::PLAIN);
        assert!(text.contains("30s → 5m → 30m → 2h → 6h → 24h (7 deliveries)"));
        assert!(text.contains("within 10s (assumed)"));
        assert!(text.contains(
            "honoured, capped at the slot's delay; a shorter Retry-After shortens the wait \
             (interpretation, assumed)"
        ));
        assert!(text.contains("wix.badges.v4.badge_assignment_deleted"));
        assert!(text.contains(
            "assumed       Cativa sends no fields beyond those it documents (validate warns: unknown-field)"
        ));
        let assignment = text
            .lines()
            .skip_while(|line| !line.contains("badge_assignment_created"))
            .nth(1)
            .unwrap();
        assert!(
            assignment
                .trim_start()
                .starts_with("assumed: badge-assignment events carry entityFqdn"),
            "{assignment}"
        );
    }

    #[test]
    fn json_lists_each_events_assumptions() {
        let value = json();
        let assumed = |name: &str| -> Vec<String> {
            value
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["name"] == name)
                .unwrap()["assumptions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["rule"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            assumed("wix.badges.v4.badge_assignment_created"),
            ["wix-assignment-fqdn", "dates-in-order"]
        );
        assert_eq!(assumed("wix.badges.v4.badge_created"), ["dates-in-order"]);
        assert_eq!(
            assumed("user_received_badge"),
            [
                "unknown-field",
                "unique-badges",
                "badge-listed",
                "user-exists-first"
            ]
        );
    }
}
