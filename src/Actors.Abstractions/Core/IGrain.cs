using Actors.Runtime;

namespace Actors;

/// <summary>The marker of every grain interface. Use one of the keyed sub-interfaces.</summary>
public interface IGrain : IAddressable
{
}
