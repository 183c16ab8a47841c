using Actors.Serialization.Cloning;
using Actors.Serialization.Codecs;
using Actors.Serialization.Wire;

namespace Actors.Serialization;

/*
 * CancellationToken layout (an Object value):
 *   field 0 Id:VarInt (absent: the token cannot be cancelled, or is cancelled already) | field 1 Cancelled:VarInt 1 (absent: not yet)
 *   | EndObject
 * The id comes from the writer's ICancellationTokenBridge; the reader's bridge maps it to a token.
 */

/// <summary>The codec of <see cref="CancellationToken"/> (layout at the top of this file); copies share the token.</summary>
internal sealed class CancellationTokenCodec(ICancellationTokenBridge? bridge) : IFieldCodec<CancellationToken>, IDeepCopier<CancellationToken>, IShallowCopyable
{
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, CancellationToken value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(CancellationToken));
        if (value.IsCancellationRequested)
        {
            // Already cancelled: nothing left to bridge; the reader gets a cancelled token.
            writer.WriteFieldHeaderExpected(1, WireType.VarInt);
            writer.WriteByte(1);
        }
        else if (value.CanBeCanceled)
        {
            if (bridge is null)
            {
                throw new SerializerException(
                    "A CancellationToken that can be cancelled cannot cross this boundary: no ICancellationTokenBridge is configured " +
                    "(SerializerBuilder.UseCancellationTokenBridge), so its cancellation would be lost. Pass CancellationToken.None or configure a bridge.");
            }

            ulong id = bridge.Export(value, writer.Session.CallContext);
            if (id == 0)
            {
                throw new SerializerException($"{bridge.GetType().Name}.Export returned id 0 for a cancellable token; 0 means \"cannot be cancelled\" on the wire.");
            }

            writer.WriteFieldHeaderExpected(0, WireType.VarInt);
            writer.WriteVarUInt64(id);
        }

        writer.WriteEndObject();
    }

    public CancellationToken ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out CancellationToken special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(CancellationToken));
        ulong tokenId = 0;
        bool cancelled = false;
        uint id = 0;
        while (true)
        {
            Field item = reader.ReadFieldHeader();
            if (item.IsEnd)
            {
                break;
            }

            id += item.FieldIdDelta;
            switch (id)
            {
                case 0:
                    tokenId = Integers.ReadUnsigned(ref reader, item, ulong.MaxValue, typeof(CancellationToken));
                    break;
                case 1:
                    cancelled = Integers.ReadUnsigned(ref reader, item, 1, typeof(bool)) == 1;
                    break;
                default:
                    reader.SkipField(item);
                    break;
            }
        }

        if (tokenId == 0)
        {
            return cancelled ? new CancellationToken(canceled: true) : CancellationToken.None;
        }

        return bridge is null
            ? throw reader.Error("a cancellable CancellationToken arrived but no ICancellationTokenBridge is configured here")
            : bridge.Import(tokenId, cancelled, reader.Session.CallContext);
    }

    public CancellationToken DeepCopy(CancellationToken input, CopyContext context) => input;
}
