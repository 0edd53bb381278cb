using System.Text.RegularExpressions;
using RlTrainer.Trainer.Data.Generation;

namespace RlTrainer.Trainer.Tests.Data.Generation;

public sealed partial class ColumnArithmeticTests
{
    [Theory]
    [InlineData(47, '+', 38, "47 + 38: 7 + 8 = 15, 4 + 3 + 1 = 8, so 85.")]
    [InlineData(52, '-', 17, "52 - 17: 12 - 7 = 5, 5 - 1 - 1 = 3, so 35.")]
    [InlineData(67, '*', 8, "67 * 8: 7 * 8 = 56, 6 * 8 + 5 = 53, so 536.")]
    [InlineData(536, '/', 8, "536 / 8: 53 / 8 = 6 r 5, 56 / 8 = 7 r 0, so 67.")]
    [InlineData(1617, '-', 327, "1617 - 327: 7 - 7 = 0, 11 - 2 = 9, 6 - 3 - 1 = 2, 1 - 0 = 1, so 1290.")]
    [InlineData(104, '-', 100, "104 - 100: 4 - 0 = 4, 0 - 0 = 0, 1 - 1 = 0, so 4.")]
    [InlineData(9, '+', 1, "9 + 1 = 10.")]
    [InlineData(7, '*', 8, "7 * 8 = 56.")]
    [InlineData(1008, '/', 9, "1008 / 9: 10 / 9 = 1 r 1, 10 / 9 = 1 r 1, 18 / 9 = 2 r 0, so 112.")]
    public void Step_WorksTheDigitsAsOnPaper(int a, char op, int b, string expected) =>
        Assert.Equal(expected, ColumnArithmetic.Step(a, op, b));

    [GeneratedRegex(@"^(\d+) ([-+*/]) (\d+): (.+), so (\d+)\.$")]
    private static partial Regex Worked();

    [GeneratedRegex(@"^(\d+) ([-+*]) (\d+)(?: ([-+]) (\d))? = (\d+)$")]
    private static partial Regex Column();

    [GeneratedRegex(@"^(\d+) / (\d) = (\d) r (\d)$")]
    private static partial Regex Division();

    /// <summary>
    /// Re-does every column of random steps with plain arithmetic: each column's equation is true, carries and borrows
    /// are the ones the previous column produced, and the digits read off the columns are the true result.
    /// </summary>
    [Fact]
    public void RandomSteps_EveryColumnIsTrue_AndTheColumnsSpellTheResult()
    {
        var random = new Random(11);
        for (int n = 0; n < 4000; n++)
        {
            char op = "+-*/"[n % 4];
            int a = random.Next(10, 10_000), b = op switch
            {
                '+' => random.Next(0, 10_000),
                '-' => random.Next(0, a + 1),
                _ => random.Next(2, 10),
            };
            if (op == '/') a -= a % b;
            var text = ColumnArithmetic.Step(a, op, b);
            var m = Worked().Match(text);
            Assert.True(m.Success, text);
            long expected = op switch { '+' => a + b, '-' => a - b, '*' => (long)a * b, _ => a / b };
            Assert.Equal(expected.ToString(), m.Groups[5].Value);
            var columns = m.Groups[4].Value.Split(", ");
            Assert.Equal(expected.ToString(), op == '/' ? Quotient(columns, a, b) : ReadRightToLeft(columns, op, a, b));
        }
    }

    private static string ReadRightToLeft(string[] columns, char op, int a, int b)
    {
        var digits = new List<char>();
        int carry = 0;
        for (int place = 0; place < columns.Length; place++)
        {
            var c = Column().Match(columns[place]);
            Assert.True(c.Success, columns[place]);
            int top = int.Parse(c.Groups[1].Value), other = int.Parse(c.Groups[3].Value), result = int.Parse(c.Groups[6].Value);
            int extra = c.Groups[5].Success ? int.Parse(c.Groups[5].Value) : 0;
            int x = a / Pow10(place) % 10, y = op == '*' ? b : b / Pow10(place) % 10;
            Assert.Equal(carry, extra);
            if (op == '-')
            {
                Assert.True(top == x || top == x + 10, columns[place]);
                Assert.Equal(y, other);
                Assert.Equal(top - other - extra, result);
                Assert.InRange(result, 0, 9);
                carry = top > x ? 1 : 0;
                digits.Add((char)('0' + result));
                continue;
            }
            Assert.Equal(x, top);
            Assert.Equal(y, other);
            Assert.Equal(op == '+' ? top + other + extra : top * other + extra, result);
            carry = result / 10;
            bool last = place == columns.Length - 1;
            digits.AddRange(last ? result.ToString().Reverse() : [(char)('0' + result % 10)]);
        }
        Assert.Equal(0, op == '-' ? carry : 0);
        var value = new string(Enumerable.Reverse(digits).ToArray()).TrimStart('0');
        return value.Length == 0 ? "0" : value;
    }

    private static string Quotient(string[] columns, int a, int d)
    {
        int remainder = 0;
        var quotient = "";
        foreach (var column in columns)
        {
            var c = Division().Match(column);
            Assert.True(c.Success, column);
            int part = int.Parse(c.Groups[1].Value), q = int.Parse(c.Groups[3].Value), r = int.Parse(c.Groups[4].Value);
            Assert.Equal(d, int.Parse(c.Groups[2].Value));
            Assert.Equal(part, q * d + r);
            Assert.InRange(r, 0, d - 1);
            Assert.True(part >= remainder * 10, column);
            remainder = r;
            quotient += q;
        }
        Assert.Equal(0, remainder);
        return quotient.TrimStart('0') is { Length: > 0 } s ? s : "0";
    }

    private static int Pow10(int k) => (int)Math.Pow(10, k);

    [Theory]
    [InlineData(3, '-', 5)]
    [InlineData(12, '*', 11)]
    [InlineData(13, '/', 2)]
    [InlineData(10, '%', 2)]
    public void Step_RejectsStepsItCannotWrite(int a, char op, int b) =>
        Assert.ThrowsAny<ArgumentException>(() => ColumnArithmetic.Step(a, op, b));
}
