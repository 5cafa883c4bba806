//! The `kafka-sim assign FILE` document: `{"assignor", "partitions_per_topic", "members"}`
//! in, `{"MEMBER": ["t-0", ...], ...}` out.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{AssignmentInput, AssignorName, MemberSubscription, assign};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignDocument {
    assignor: String,
    partitions_per_topic: BTreeMap<String, u32>,
    members: Vec<MemberSubscription>,
}

/// Runs the assignor a document names; returns the assignment as JSON (every member
/// present), or one message per problem.
pub fn assign_document(text: &str) -> Result<String, Vec<String>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: AssignDocument = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            vec![e.into_inner().to_string()]
        } else {
            vec![format!("{path}: {}", e.into_inner())]
        }
    })?;
    de.end().map_err(|e| vec![e.to_string()])?;
    let Some(name) = AssignorName::parse(&doc.assignor) else {
        let names: Vec<&str> = AssignorName::ALL.iter().map(|a| a.name()).collect();
        return Err(vec![format!(
            "assignor: expected one of {}, found \"{}\"",
            names.join(", "),
            doc.assignor
        )]);
    };
    let input = AssignmentInput {
        partitions_per_topic: doc.partitions_per_topic,
        members: doc.members,
    };
    let out = assign(name, &input).map_err(|e| vec![e.to_string()])?;
    let printable: BTreeMap<&String, Vec<String>> = out
        .assignment
        .iter()
        .map(|(m, tps)| (m, tps.iter().map(ToString::to_string).collect()))
        .collect();
    serde_json::to_string(&printable).map_err(|e| vec![e.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_every_member_with_its_partitions() {
        let out = assign_document(
            r#"{"assignor": "range", "partitions_per_topic": {"t": 3},
                "members": [{"member_id": "a", "topics": ["t"]}, {"member_id": "b", "topics": ["t"]},
                            {"member_id": "c", "topics": []}]}"#,
        )
        .expect("valid");
        assert_eq!(out, r#"{"a":["t-0","t-1"],"b":["t-2"],"c":[]}"#);
    }

    #[test]
    fn refuses_an_unknown_assignor_and_unknown_fields() {
        let e =
            assign_document(r#"{"assignor": "fair", "partitions_per_topic": {}, "members": []}"#)
                .expect_err("unknown assignor");
        assert!(
            e[0].starts_with("assignor: expected one of range, roundrobin"),
            "{e:?}"
        );
        let e = assign_document(
            r#"{"assignor": "range", "partitions_per_topic": {}, "members": [], "extra": 1}"#,
        )
        .expect_err("unknown field");
        assert!(e[0].contains("unknown field `extra`"), "{e:?}");
    }

    #[test]
    fn a_malformed_document_names_the_field() {
        let e = assign_document(
            r#"{"assignor": "range", "partitions_per_topic": {"t": 3},
                "members": [{"member_id": "a", "topics": ["t"]}, {"member_id": "b", "topics": "t"}]}"#,
        )
        .expect_err("topics must be a list");
        assert!(e[0].starts_with("members[1].topics: invalid type"), "{e:?}");
        let e = assign_document(
            r#"{"assignor": "range", "partitions_per_topic": {"t": -1}, "members": []}"#,
        )
        .expect_err("a negative count");
        assert!(e[0].starts_with("partitions_per_topic.t: "), "{e:?}");
    }
}
