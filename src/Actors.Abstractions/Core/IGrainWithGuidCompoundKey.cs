namespace Actors;

/// <summary>
/// A grain interface whose grains are identified by a <see cref="Guid"/> plus a string key extension (Orleans'
/// compound key); read both with <c>GetPrimaryKey(out string keyExtension)</c>.
/// </summary>
public interface IGrainWithGuidCompoundKey : IGrain
{
}
