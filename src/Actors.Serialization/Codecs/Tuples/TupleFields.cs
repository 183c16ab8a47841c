using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// Walks the fields of a tuple-shaped Object (fields 0..n-1): skips unknown ids and, at EndObject, requires every element
/// exactly once (a missing element is an error, never a default).
/// </summary>
internal ref struct TupleFields(Type tuple, int arity)
{
    private uint _id;
    private ulong _seen;

    public bool Next(ref Reader reader, out Field item, out uint id)
    {
        while (true)
        {
            item = reader.ReadFieldHeader();
            if (item.IsEnd)
            {
                id = 0;
                if (_seen != (arity == 64 ? ulong.MaxValue : (1UL << arity) - 1))
                {
                    throw reader.Error($"a '{TypeNames.Display(tuple)}' lacks element {System.Numerics.BitOperations.TrailingZeroCount(~_seen)}");
                }

                return false;
            }

            _id += item.FieldIdDelta;
            id = _id;
            if (id >= (uint)arity)
            {
                reader.SkipField(item);
                continue;
            }

            if ((_seen & (1UL << (int)id)) != 0)
            {
                throw reader.Error($"a '{TypeNames.Display(tuple)}' holds element {id} twice");
            }

            _seen |= 1UL << (int)id;
            return true;
        }
    }
}
