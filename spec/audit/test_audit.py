"""Tests of audit.py on a small CSDL and spec written here: a faithful spec has no difference, and each kind of
drift (property, nullability, enum member, missing operation, stale omission, deprecation) is reported.

Run: python3 -m unittest discover -s spec/audit
"""

import copy
import tempfile
import unittest
from pathlib import Path

import audit

CSDL = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="scheduleState">
        <Member Name="Active" Value="0" />
        <Member Name="Disabled" Value="1" />
      </EnumType>
      <ComplexType Name="schedule">
        <Property Name="interval" Type="Edm.Duration" Nullable="false" />
        <Property Name="state" Type="graph.scheduleState" Nullable="false" />
      </ComplexType>
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="servicePrincipal" BaseType="graph.entity">
        <NavigationProperty Name="synchronization" Type="graph.synchronization" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="synchronization" BaseType="graph.entity">
        <NavigationProperty Name="jobs" Type="Collection(graph.synchronizationJob)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="synchronizationJob" BaseType="graph.entity">
        <Property Name="schedule" Type="graph.schedule" />
        <Property Name="templateId" Type="Edm.String" />
      </EntityType>
      <Action Name="start" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.synchronizationJob" />
      </Action>
      <EntityContainer Name="GraphService">
        <EntitySet Name="servicePrincipals" EntityType="microsoft.graph.servicePrincipal" />
      </EntityContainer>
      <Annotations Target="microsoft.graph.synchronization">
        <Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions">
          <Record><PropertyValue Property="UpdateMethod"><EnumMember>Org.OData.Capabilities.V1.HttpMethod/PUT</EnumMember></PropertyValue></Record>
        </Annotation>
      </Annotations>
      <Annotations Target="microsoft.graph.start(microsoft.graph.synchronizationJob)">
        <Annotation Term="Org.OData.Core.V1.Revisions">
          <Collection><Record>
            <PropertyValue Property="Date" Date="2026-03-01" />
            <PropertyValue Property="Kind"><EnumMember>Org.OData.Core.V1.RevisionKind/Deprecated</EnumMember></PropertyValue>
            <PropertyValue Property="RemovalDate" Date="2027-03-01" />
          </Record></Collection>
        </Annotation>
      </Annotations>
      <Annotations Target="microsoft.graph.scheduleState">
        <Annotation Term="Org.OData.Core.V1.Revisions">
          <Collection><Record>
            <PropertyValue Property="Date" Date="2026-02-06" />
            <PropertyValue Property="Kind"><EnumMember>Org.OData.Core.V1.RevisionKind/Deprecated</EnumMember></PropertyValue>
            <PropertyValue Property="RemovalDate" Date="2027-07-06" />
          </Record></Collection>
        </Annotation>
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""

SP = "/servicePrincipals/{servicePrincipal-id}/synchronization"
JOB = SP + "/jobs/{synchronizationJob-id}"
REF = "#/components/schemas/"


def content(name):
    return {"content": {"application/json": {"schema": {"$ref": REF + name}}}}


def op(body=None, result=None):
    """An operation with an optional request body and 200 result (schema names)."""
    node = {"responses": {"200": content(result) if result else {"description": "ok"}, "default": {}}}
    if body:
        node["requestBody"] = content(body)
    return node


SPEC = {
    "paths": {
        SP: {"get": op(result="synchronization"), "put": op(body="synchronization")},
        SP + "/jobs": {
            "get": op(result="synchronizationJobCollectionResponse"),
            "post": op(body="synchronizationJob", result="synchronizationJob"),
        },
        JOB: {"get": op(result="synchronizationJob"), "patch": op(body="synchronizationJob"), "delete": op()},
        JOB + "/start": {
            "post": {
                **op(),
                "x-graph-deprecated": {"versions": ["beta"], "date": "2026-03-01", "removalDate": "2027-03-01"},
            }
        },
    },
    "x-graph-omitted": [{"method": "delete", "path": SP, "reason": "not documented"}],
    "components": {
        "schemas": {
            "synchronization": {
                "type": "object",
                "x-graph-csdl": "entity",
                "properties": {
                    "id": {"type": "string"},
                    "jobs": {"type": "array", "items": {"$ref": REF + "synchronizationJob"}, "nullable": True},
                },
            },
            "synchronizationJob": {
                "type": "object",
                "x-graph-csdl": "entity",
                "properties": {
                    "id": {"type": "string"},
                    "schedule": {"allOf": [{"$ref": REF + "schedule"}], "nullable": True},
                    "templateId": {"type": "string", "nullable": True},
                },
            },
            "schedule": {
                "type": "object",
                "x-graph-csdl": "complex",
                "properties": {
                    "interval": {"type": "string", "format": "duration"},
                    "state": {"$ref": REF + "scheduleState"},
                },
            },
            "synchronizationJobCollectionResponse": {
                "type": "object",
                "x-graph-csdl": "collection-response",
                "properties": {"value": {"type": "array", "items": {"$ref": REF + "synchronizationJob"}}},
            },
            "scheduleState": {
                "type": "string",
                "enum": ["Active", "Disabled"],
                "x-graph-enum-values": [0, 1],
                "x-graph-deprecated": {"versions": ["beta"], "date": "2026-02-06", "removalDate": "2027-07-06"},
            },
        }
    },
}


class AuditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "tiny.xml"
            path.write_text(CSDL)
            cls.csdl = audit.load_csdl(path)

    def run_audit(self, spec):
        return audit.compare(self.csdl, spec, "beta", None)

    def assert_reported(self, spec, fragment):
        report = self.run_audit(spec)
        self.assertTrue(
            any(fragment in line for line in report.differences),
            f"`{fragment}` not among {report.differences}",
        )

    def test_a_faithful_spec_has_no_difference(self):
        report = self.run_audit(SPEC)
        self.assertEqual(report.differences, [])
        self.assertEqual(report.counts["types"]["metadata"], 3)
        self.assertEqual(report.counts["properties"], {"metadata": 7, "spec": 7, "identical": 7})
        self.assertEqual(report.counts["operations"]["metadata"], 9)
        self.assertEqual(report.counts["operations"]["omitted_with_reason"], 1)

    def test_a_missing_property_is_reported(self):
        spec = copy.deepcopy(SPEC)
        del spec["components"]["schemas"]["synchronizationJob"]["properties"]["templateId"]
        self.assert_reported(spec, "property synchronizationJob.templateId: in the metadata, missing")

    def test_a_spec_only_property_needs_a_docs_citation(self):
        spec = copy.deepcopy(SPEC)
        props = spec["components"]["schemas"]["schedule"]["properties"]
        props["name"] = {"type": "string", "nullable": True, "description": "Sent by the service."}
        self.assert_reported(spec, "property schedule.name: in the spec, not in the metadata")
        props["name"]["description"] = "Shown in api-reference/v1.0/resources/schedule.md."
        self.assertEqual(self.run_audit(spec).differences, [])

    def test_wrong_nullability_is_reported(self):
        spec = copy.deepcopy(SPEC)
        spec["components"]["schemas"]["schedule"]["properties"]["interval"]["nullable"] = True
        self.assert_reported(spec, "property schedule.interval")

    def test_an_enum_member_difference_is_reported(self):
        spec = copy.deepcopy(SPEC)
        spec["components"]["schemas"]["scheduleState"]["enum"] = ["Active", "Off"]
        self.assert_reported(spec, "enum scheduleState: members differ")

    def test_a_derived_operation_needs_the_spec_or_a_reason(self):
        spec = copy.deepcopy(SPEC)
        del spec["paths"][JOB + "/start"]
        self.assert_reported(spec, f"POST {JOB}/start: derived from the metadata, not in the spec")
        spec["x-graph-omitted"].append({"method": "post", "path": JOB + "/start", "reason": "r"})
        self.assertEqual(self.run_audit(spec).differences, [])

    def test_the_update_method_follows_the_capability_annotation(self):
        spec = copy.deepcopy(SPEC)
        spec["paths"][SP]["patch"] = spec["paths"][SP].pop("put")
        self.assert_reported(spec, f"PUT {SP}: derived from the metadata")

    def test_an_omission_of_a_described_or_underived_operation_is_reported(self):
        spec = copy.deepcopy(SPEC)
        spec["x-graph-omitted"].append({"method": "get", "path": SP, "reason": "r"})
        spec["x-graph-omitted"].append({"method": "post", "path": SP + "/stop", "reason": "r"})
        self.assert_reported(spec, f"GET {SP}: listed in x-graph-omitted but present in the spec")
        self.assert_reported(spec, f"POST {SP}/stop: listed in x-graph-omitted but not derived")

    def test_a_type_deprecation_must_be_recorded_with_its_dates(self):
        spec = copy.deepcopy(SPEC)
        marker = spec["components"]["schemas"]["scheduleState"]["x-graph-deprecated"]
        marker["removalDate"] = "2028-01-01"
        self.assert_reported(spec, "schema scheduleState: x-graph-deprecated says date 2026-02-06, removal 2028-01-01")
        del spec["components"]["schemas"]["scheduleState"]["x-graph-deprecated"]
        self.assert_reported(spec, "schema scheduleState: deprecated in beta metadata")

    def test_bodies_and_results_follow_the_metadata_types(self):
        spec = copy.deepcopy(SPEC)
        spec["paths"][JOB]["get"] = op(result="schedule")
        spec["paths"][JOB + "/start"]["post"]["requestBody"] = content("schedule")
        self.assert_reported(spec, f"GET {JOB}: response ['schedule'], metadata synchronizationJob")
        self.assert_reported(spec, f"POST {JOB}/start: request body schedule, metadata action takes no parameter")

    def test_an_action_deprecation_must_be_on_its_operations(self):
        spec = copy.deepcopy(SPEC)
        del spec["paths"][JOB + "/start"]["post"]["x-graph-deprecated"]
        self.assert_reported(spec, f"POST {JOB}/start: deprecated in beta metadata (date 2026-03-01")

    def test_a_type_deprecation_the_metadata_does_not_have_is_reported(self):
        spec = copy.deepcopy(SPEC)
        spec["components"]["schemas"]["schedule"]["x-graph-deprecated"] = {"versions": ["beta"]}
        self.assert_reported(spec, "schema schedule: x-graph-deprecated for beta, but the metadata has no deprecation")


if __name__ == "__main__":
    unittest.main()
