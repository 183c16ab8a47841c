namespace Actors.Storage;

/// <summary>Opts a grain class into the store named <see cref="StorageProviderAttribute.StoreName"/>, whatever its provider.</summary>
public sealed class GrainStorageAttribute : StorageProviderAttribute
{
}
