namespace Actors.Serialization.Cloning;

/// <summary>Implemented by copiers of immutable types: they return their input, so callers may skip them.</summary>
public interface IShallowCopyable
{
}
