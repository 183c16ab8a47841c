namespace Actors.Runtime;

/// <summary>
/// Something a grain id can be read from: a grain reference, a grain interface, or a grain instance (Orleans'
/// <c>IAddressable</c>). <see cref="GrainExtensions"/> reads identities and keys through it.
/// </summary>
public interface IAddressable
{
}
