using Actors.Invocation;

namespace Actors.Client;

/// <summary>Creates the grain references of a client over its invoker.</summary>
internal static class ClientGrainReferences
{
    /// <summary>Returns an <see cref="IGrainFactory"/> whose references send calls to <paramref name="invoker"/>.</summary>
    public static IGrainFactory Create(IGrainCallInvoker invoker) => new PendingRuntimeReferences(invoker);

    /// <summary>Placeholder until the runtime's GrainReferenceFactory is merged: every GetGrain fails loudly.</summary>
    private sealed class PendingRuntimeReferences(IGrainCallInvoker invoker) : IGrainFactory
    {
        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
            where TGrainInterface : IGrainWithStringKey => throw NotYet(invoker);

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey)
            where TGrainInterface : IGrainWithGuidKey => throw NotYet(invoker);

        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey)
            where TGrainInterface : IGrainWithIntegerKey => throw NotYet(invoker);

        private static NotSupportedException NotYet(IGrainCallInvoker invoker) =>
            new($"Grain references need the runtime's GrainReferenceFactory (not merged yet); invoker {invoker.GetType().Name} is ready.");
    }
}
