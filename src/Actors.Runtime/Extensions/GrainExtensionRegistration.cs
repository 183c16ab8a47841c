namespace Actors.Runtime;

/// <summary>One registered grain extension: the extension interface and how to create its object for an activation.</summary>
internal sealed record GrainExtensionRegistration(Type InterfaceType, Func<IGrainContext, object> Factory);
