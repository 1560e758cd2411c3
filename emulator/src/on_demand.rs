//! provisionOnDemand's answer: one `stringKeyStringValuePair` whose `key` and `value` are JSON
//! documents written as strings (the key the result, the value the provisioning record), shaped
//! like the docs' examples.

use serde_json::{Value, json};

use crate::graph::Ctx;

/// What happened to the object.
pub(crate) enum Outcome {
    Success,
    /// Skipped: error code and message (out of scope, or already in the same state).
    Skipped(String, String),
    /// Failed: error code and message (e.g. the job's credentials are missing).
    Failure(String, String),
}

/// The response body.
pub(crate) fn result(
    ctx: &Ctx<'_>,
    object_id: &str,
    type_name: &str,
    members: usize,
    outcome: &Outcome,
) -> Value {
    let (result, details, status) = match outcome {
        Outcome::Success => ("Success", json!({}), "Success"),
        Outcome::Skipped(code, message) => (
            "Skipped",
            json!({"errorCode": code, "errorMessage": message}),
            "Skipped",
        ),
        Outcome::Failure(code, message) => (
            "Failure",
            json!({"errorCode": code, "errorMessage": message}),
            "Failure",
        ),
    };
    let key = json!({"result": result, "details": details});
    // The docs' group example answers an empty record.
    let value = if members > 0 || type_name.eq_ignore_ascii_case("group") {
        json!({})
    } else {
        let now = ctx.now.to_string();
        let (error_code, reason) = match outcome {
            Outcome::Success => (Value::Null, Value::Null),
            Outcome::Skipped(code, message) | Outcome::Failure(code, message) => {
                (json!(code), json!(message))
            }
        };
        let step = |name: &str, kind: &str, status: &str, description: String| json!({"name": name, "type": kind, "status": status, "description": description, "timestamp": now, "details": {}});
        let mut steps = vec![
            step(
                "EntryImport",
                "Import",
                "Success",
                format!("Retrieved {type_name} '{object_id}' from the source directory"),
            ),
            step(
                "EntryImport",
                "Matching",
                "Success",
                format!("Looked up {type_name} '{object_id}' in the target system"),
            ),
        ];
        steps.push(match outcome {
            Outcome::Skipped(code, _) if code == "NotEffectivelyEntitled" => step(
                "EntrySynchronizationScoping",
                "Scoping",
                "Skipped",
                format!("{type_name} '{object_id}' is out of the provisioning scope"),
            ),
            _ => step(
                "EntrySynchronizationScoping",
                "Scoping",
                "Success",
                format!(
                    "Determine if {type_name} in scope by evaluating against each scoping filter"
                ),
            ),
        });
        steps.push(match outcome {
            Outcome::Success => step(
                "EntryExportAdd",
                "Export",
                "Success",
                format!("{type_name} '{object_id}' was created in the target system"),
            ),
            Outcome::Skipped(_, message) => step(
                "EntrySynchronizationSkip",
                "Export",
                "Skipped",
                message.clone(),
            ),
            Outcome::Failure(_, message) => {
                step("EntryExportAdd", "Export", "Failure", message.clone())
            }
        });
        json!({
            "action": if matches!(outcome, Outcome::Success) { "Create" } else { "Other" },
            "changeId": crate::ids::uuid(),
            "endTime": now,
            "modifiedProperties": [{"displayName": "objectId", "oldValue": null, "newValue": object_id}],
            "provisioningSteps": steps,
            "reportableIdentifier": object_id,
            "startTime": now,
            "statusInfo": {
                "status": status, "errorCode": error_code, "reason": reason,
                "additionalDetails": null, "errorCategory": null, "recommendedAction": null
            },
            "sourceIdentity": {"id": object_id, "type": type_name, "displayName": null, "details": null},
            "sourceSystem": {"id": null, "name": "Azure Active Directory", "details": null},
            "targetIdentity": {"id": null, "type": type_name, "displayName": null, "details": null},
            "targetSystem": {"id": null, "name": "customappsso", "details": null},
        })
    };
    json!({
        "@odata.context": format!("{}/{}/$metadata#microsoft.graph.stringKeyStringValuePair", ctx.base_url, ctx.version),
        "key": key.to_string(),
        "value": value.to_string(),
    })
}
