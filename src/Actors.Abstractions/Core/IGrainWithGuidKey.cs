namespace Actors;

/// <summary>A grain interface whose grains are identified by a <see cref="Guid"/> key.</summary>
public interface IGrainWithGuidKey : IGrain
{
}
