namespace Actors.Invocation;

/// <summary>
/// A grain interface has no generated grain reference: the code generator did not process it, so Actors refuses to
/// call it (instead of falling back to a runtime proxy whose arguments and results nothing checked at build time).
/// Raised at silo start for the interfaces of registered grain classes and by the grain factories. The message names
/// the interface, its assembly and what to do.
/// </summary>
[GenerateSerializer]
public sealed class GrainInterfaceNotGeneratedException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="grainInterface"/>.</summary>
    /// <param name="grainInterface">The interface.</param>
    /// <param name="assemblyHasGeneratedCode">Whether the generator ran on the interface's assembly (and so refused this interface).</param>
    public GrainInterfaceNotGeneratedException(Type grainInterface, bool assemblyHasGeneratedCode)
        : base(Describe(grainInterface, assemblyHasGeneratedCode))
    {
        InterfaceName = grainInterface.FullName ?? grainInterface.Name;
    }

    /// <summary>The interface's full name.</summary>
    [Id(0)]
    public string InterfaceName { get; }

    private static string Describe(Type grainInterface, bool assemblyHasGeneratedCode)
    {
        string name = grainInterface.FullName ?? grainInterface.Name;
        string assembly = grainInterface.Assembly.GetName().Name ?? "?";
        string kind = typeof(IGrainObserver).IsAssignableFrom(grainInterface) ? "Observer interface" : "Grain interface";
        return assemblyHasGeneratedCode
            ? $"{kind} '{name}' (assembly '{assembly}') has no generated grain reference: the code generator refused it because a member cannot be forwarded (a property, an event, a ref/out/in or ref-struct parameter, or a method returning something other than Task, Task<T>, ValueTask or ValueTask<T>, or void on an observer interface). Make every member such a method."
            : $"{kind} '{name}' (assembly '{assembly}') has no generated grain reference: the code generator did not run on its assembly. Set <ActorsCodeGenerator>true</ActorsCodeGenerator> in the project that declares it (as Orleans needs Microsoft.Orleans.Sdk there).";
    }
}
