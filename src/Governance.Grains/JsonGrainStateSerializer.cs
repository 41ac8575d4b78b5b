using System.Text.Json;
using Orleans.Storage;

namespace Governance.Grains;

/// <summary>
/// Stores grain state as plain JSON of the state type, without the assembly-qualified type names the
/// default serializer writes: the caller always knows the type it reads, and type names in stored
/// rows would break every read after a class moves or an assembly is renamed.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)
        ?? throw new InvalidOperationException($"Stored state of {typeof(T).Name} is null.");
}
