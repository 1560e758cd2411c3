//! Which generated Rust type stands for each spec schema that carries examples, in one table shared by
//! the round-trip tests.

use msgraph_sync::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Something to do with the Rust type of a schema (decode and re-encode an example, say).
pub trait WithType {
    /// What doing it gives.
    type Output;
    /// Does it with `T`, the Rust type of the schema.
    fn run<T: DeserializeOwned + Serialize>(self) -> Self::Output;
}

/// Runs `job` with the generated type of the spec schema named `schema`, or gives `None` for a schema
/// this table does not map yet (add it here).
pub fn with_type<J: WithType>(schema: &str, job: J) -> Option<J::Output> {
    Some(match schema {
        "synchronizationJob" => job.run::<SynchronizationJob>(),
        "synchronizationJobCollectionResponse" => job.run::<Page<SynchronizationJob>>(),
        "restartRequestBody" => job.run::<RestartRequestBody>(),
        "provisionOnDemandRequestBody" => job.run::<ProvisionOnDemandRequestBody>(),
        "stringKeyStringValuePair" => job.run::<StringKeyStringValuePair>(),
        "synchronizationSchema" => job.run::<SynchronizationSchema>(),
        "parseExpressionResponse" => job.run::<ParseExpressionResponse>(),
        "attributeMappingFunctionSchemaCollectionResponse" => {
            job.run::<Page<AttributeMappingFunctionSchema>>()
        }
        "filterOperatorSchemaCollectionResponse" => job.run::<Page<FilterOperatorSchema>>(),
        "directoryDefinition" => job.run::<DirectoryDefinition>(),
        "directoryDefinitionCollectionResponse" => job.run::<Page<DirectoryDefinition>>(),
        "synchronizationSecretsRequestBody" => job.run::<SynchronizationSecretsRequestBody>(),
        _ => return None,
    })
}
