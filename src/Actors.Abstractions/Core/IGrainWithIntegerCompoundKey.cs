namespace Actors;

/// <summary>
/// A grain interface whose grains are identified by a 64-bit integer plus a string key extension (Orleans' compound
/// key); read both with <c>GetPrimaryKeyLong(out string keyExtension)</c>.
/// </summary>
public interface IGrainWithIntegerCompoundKey : IGrain
{
}
