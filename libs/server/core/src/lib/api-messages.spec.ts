import { translateApiMessage } from './api-messages';

describe('API messages in the language the request asks for', () => {
  it('translates a fixed message, and leaves English and unknown languages as they are', () => {
    expect(translateApiMessage('nl', 'The e-mail address or password is not correct')).toBe(
      'Het e-mailadres of wachtwoord klopt niet',
    );
    expect(translateApiMessage('en', 'The e-mail address or password is not correct')).toBe(
      'The e-mail address or password is not correct',
    );
    expect(translateApiMessage('de', 'The e-mail address or password is not correct')).toBe(
      'The e-mail address or password is not correct',
    );
    expect(translateApiMessage(null, 'Answer not found')).toBe('Answer not found');
  });

  it('keeps the parts that vary: names, numbers, field names', () => {
    expect(translateApiMessage('nl', 'A group called "Team <b>Noord</b>" already exists')).toBe(
      'Er bestaat al een groep met de naam "Team <b>Noord</b>"',
    );
    expect(translateApiMessage('nl', 'All 3 attempts of this exercise are used')).toBe(
      'Alle 3 pogingen van deze oefening zijn gebruikt',
    );
    expect(translateApiMessage('nl', 'name must be shorter than or equal to 200 characters')).toBe(
      'name mag hoogstens 200 tekens lang zijn',
    );
    expect(translateApiMessage('nl', 'modules.0.exercises.2.title must be a string')).toBe(
      'modules.0.exercises.2.title moet tekst zijn',
    );
  });

  it('translates a message inside a message', () => {
    expect(
      translateApiMessage('nl', 'each value in roles must be one of the following values: participant, coach'),
    ).toBe('elke waarde in roles moet een van deze waarden zijn: participant, coach');
    expect(translateApiMessage('nl', 'Password must contain a digit')).toBe('Wachtwoord: moet een cijfer bevatten');
    expect(translateApiMessage('nl', 'a field name must not contain a NUL character')).toBe(
      'een veldnaam mag geen NUL-teken bevatten',
    );
  });

  it('a message carrying a huge part of a request is left as it is, not matched (no quadratic work on crafted input)', () => {
    const crafted = `${' must be shorter than or equal to '.repeat(30_000)}x`;
    expect(translateApiMessage('nl', crafted)).toBe(crafted);
    const field = 'f'.repeat(5_000);
    expect(translateApiMessage('nl', `${field} is not an accepted field`)).toBe(`${field} is not an accepted field`);
    expect(translateApiMessage('nl', 'name is not an accepted field')).toBe('name is geen toegestaan veld');
  });

  it('a message it does not know stays English rather than half-translated', () => {
    expect(translateApiMessage('nl', 'Something nobody wrote down')).toBe('Something nobody wrote down');
    expect(translateApiMessage('nl', '')).toBe('');
  });
});
