/**
 * The API's error messages in Dutch, keyed by the English message (i18next key style with
 * {{placeholders}} for the parts that vary: a name, a number, a field). A message is translated when
 * the request asks for Dutch (Accept-Language, which the web app sets to its language); a part that
 * varies is itself translated when it is one of these messages. `npm run i18n:check` fails when a
 * message in the server's code has no entry here.
 */
export const API_MESSAGES_NL: Record<string, string> = {
  // the exception filter, the request guards and the errors' defaults
  'Something went wrong on our side. Quote the correlation id when you report it.':
    'Er ging bij ons iets mis. Vermeld het correlatie-id als je het meldt.',
  'The service is briefly unavailable (a service it depends on is not answering). Try again in a moment.':
    'De dienst is even niet beschikbaar (een dienst waarvan hij afhangt, antwoordt niet). Probeer het zo opnieuw.',
  "This recording's stored file is missing or damaged. Your administrator can find such files with the storage check.":
    'Het opgeslagen bestand van deze opname ontbreekt of is beschadigd. Je beheerder kan zulke bestanden vinden met de opslagcontrole.',
  'This was changed by another request at the same moment. Reload and try again.':
    'Dit is op hetzelfde moment door een ander verzoek gewijzigd. Laad het opnieuw en probeer het nog eens.',
  'This upload is being submitted or removed by another request: wait for it to finish':
    'Deze upload wordt al door een ander verzoek ingediend of verwijderd: wacht tot dat klaar is',
  'This no longer exists: it was deleted for good': 'Dit bestaat niet meer: het is voorgoed verwijderd',
  'The server is short of disk space just now; try again later':
    'De server heeft op dit moment te weinig schijfruimte; probeer het later opnieuw',
  'The server is short of disk space for uploads just now; try again later':
    'De server heeft op dit moment te weinig schijfruimte voor uploads; probeer het later opnieuw',
  'You have too many unfinished uploads: finish or cancel one before you start another':
    'Je hebt te veel onafgemaakte uploads: maak er een af of annuleer er een voordat je een nieuwe begint',
  'The request body is too large': 'De inhoud van het verzoek is te groot',
  'The request body is not valid JSON': 'De inhoud van het verzoek is geen geldige JSON',
  'The request body must be a JSON object': 'De inhoud van het verzoek moet een JSON-object zijn',
  'Send the request body uncompressed or compressed as gzip, deflate or br':
    'Stuur de inhoud van het verzoek ongecomprimeerd of gecomprimeerd als gzip, deflate of br',
  'The request body is not valid UTF-8': 'De inhoud van het verzoek is geen geldige UTF-8',
  'Send the request body as JSON (Content-Type: application/json)':
    'Stuur de inhoud van het verzoek als JSON (Content-Type: application/json)',
  'Send the request body as JSON in UTF-8': 'Stuur de inhoud van het verzoek als JSON in UTF-8',
  'The request is not valid': 'Het verzoek is niet geldig',
  'Resource not found': 'Niet gevonden',
  'This address does not answer {{method}}; it answers {{allowed}}':
    'Dit adres beantwoordt geen {{method}}, wel {{allowed}}',
  'You are not allowed to do this': 'Dit mag je niet doen',
  'Please sign in': 'Log in',
  'Too many attempts, try again later': 'Te veel pogingen; probeer het later opnieuw',
  'Too many sign-in codes were sent to this e-mail address; try again later':
    'Er zijn te veel inlogcodes naar dit e-mailadres gestuurd; probeer het later opnieuw',
  'Cross-site requests are not accepted': 'Verzoeken vanaf andere sites worden niet geaccepteerd',
  'The security token is missing or stale; reload the page and try again':
    'Het beveiligingstoken ontbreekt of is verouderd; laad de pagina opnieuw en probeer het nog eens',
  'Method overrides are not accepted: send the method itself':
    'Het overschrijven van de methode wordt niet geaccepteerd: stuur de methode zelf',
  'This route declares no permission and is closed': 'Deze route noemt geen recht en is gesloten',
  'this request takes no body': 'dit verzoek heeft geen inhoud',
  'If-Match names another version of this file': 'If-Match noemt een andere versie van dit bestand',
  'The range asked for starts past the end of the file': 'Het gevraagde bereik begint na het einde van het bestand',
  'must not contain a NUL character': 'mag geen NUL-teken bevatten',
  'must be one line of text, without control characters or text-direction overrides':
    'moet één regel tekst zijn, zonder stuurtekens of tekens die de leesrichting omdraaien',
  '{{field}} must be one line of text, without control characters or text-direction overrides':
    '{{field}} moet één regel tekst zijn, zonder stuurtekens of tekens die de leesrichting omdraaien',
  'must be valid Unicode text (it holds an unpaired surrogate)':
    'moet geldige Unicode-tekst zijn (er staat een losse surrogaat in)',
  '{{value}} must not contain a NUL character': '{{value}} mag geen NUL-teken bevatten',
  '{{value}} must be valid Unicode text (it holds an unpaired surrogate)':
    '{{value}} moet geldige Unicode-tekst zijn (er staat een losse surrogaat in)',
  '{{field}} is not an accepted field': '{{field}} is geen toegestaan veld',
  '{{field}} is nested too deeply': '{{field}} is te diep genest',
  '{{field}} has more than {{n}} items': '{{field}} heeft meer dan {{n}} elementen',
  '{{field}} has more than {{n}} fields': '{{field}} heeft meer dan {{n}} velden',
  'and {{n}} more problems': 'en nog {{n}} problemen',
  "pages reach as far as the newest {{count}} entries: choose a period, export the log as CSV, or open one person's log":
    'de pagina’s reiken tot de nieuwste {{count}} regels: kies een periode, exporteer het logboek als CSV, of open het logboek van één persoon',
  'before must be later than from': 'before moet later zijn dan from',
  'from must be a moment with its offset, as 2026-03-01T00:00:00+01:00':
    'from moet een tijdstip met zijn afwijking van UTC zijn, zoals 2026-03-01T00:00:00+01:00',
  'before must be a moment with its offset, as 2026-04-01T00:00:00+02:00':
    'before moet een tijdstip met zijn afwijking van UTC zijn, zoals 2026-04-01T00:00:00+02:00',
  '{{field}} is required': '{{field}} is verplicht',
  'a field name {{problem}}': 'een veldnaam {{problem}}',
  'the address {{problem}}': 'het adres {{problem}}',

  // class-validator's own messages (the field name stays the API's)
  '{{property}} must be a string': '{{property}} moet tekst zijn',
  '{{property}} must be shorter than or equal to {{n}} characters': '{{property}} mag hoogstens {{n}} tekens lang zijn',
  '{{property}} must be longer than or equal to {{n}} characters': '{{property}} moet minstens {{n}} tekens lang zijn',
  '{{property}} must not be less than {{n}}': '{{property}} mag niet kleiner zijn dan {{n}}',
  '{{property}} must not be greater than {{n}}': '{{property}} mag niet groter zijn dan {{n}}',
  '{{property}} must be a UUID': '{{property}} moet een UUID zijn',
  '{{property}} must be an integer number': '{{property}} moet een geheel getal zijn',
  '{{property}} must be one of the following values: {{values}}':
    '{{property}} moet een van deze waarden zijn: {{values}}',
  '{{property}} must be an array': '{{property}} moet een lijst zijn',
  '{{property}} must match {{pattern}} regular expression':
    '{{property}} moet voldoen aan de reguliere expressie {{pattern}}',
  '{{property}} must contain no more than {{n}} elements': '{{property}} mag hoogstens {{n}} elementen bevatten',
  '{{property}} must contain at least {{n}} elements': '{{property}} moet minstens {{n}} elementen bevatten',
  'nested property {{property}} must be either object or array':
    'het geneste veld {{property}} moet een object of een lijst zijn',
  "All {{property}}'s elements must be unique": 'Alle elementen van {{property}} moeten uniek zijn',
  '{{property}} must be an object': '{{property}} moet een object zijn',
  '{{property}} must be a boolean value': '{{property}} moet waar of onwaar zijn',
  '{{property}} must be a valid ISO 8601 date string': '{{property}} moet een geldige ISO 8601-datum zijn',
  '{{property}} must be a number conforming to the specified constraints':
    '{{property}} moet een getal zijn dat aan de eisen voldoet',
  '{{property}} should not be null or undefined': '{{property}} moet een waarde hebben',
  '{{property}} must be an email': '{{property}} moet een e-mailadres zijn',
  '{{property}} must be equal to {{value}}': '{{property}} moet gelijk zijn aan {{value}}',
  '{{property}} must be a URL address': '{{property}} moet een URL zijn',
  '{{property}} must be base64 encoded': '{{property}} moet base64-gecodeerd zijn',
  'an unknown value was passed to the validate function': 'er is een onbekende waarde aan de validatie gegeven',
  'each value in {{rest}}': 'elke waarde in {{rest}}',

  // not found
  'Answer not found': 'Antwoord niet gevonden',
  'Course not found': 'Cursus niet gevonden',
  'Group not found': 'Groep niet gevonden',
  'Coach not found': 'Coach niet gevonden',
  'Upload not found': 'Upload niet gevonden',
  'Recording not found': 'Opname niet gevonden',
  'Prompt media not found': 'Promptmedia niet gevonden',
  'AI report not found': 'AI-rapport niet gevonden',
  'Transcript not found': 'Transcript niet gevonden',
  'Rubric not found': 'Rubric niet gevonden',
  'Enrolment not found': 'Inschrijving niet gevonden',
  'Exercise not found': 'Oefening niet gevonden',
  'Participant not found': 'Deelnemer niet gevonden',
  'Cover not found': 'Omslag niet gevonden',
  'Request not found': 'Verzoek niet gevonden',
  'User not found': 'Gebruiker niet gevonden',
  'Tenant not found': 'Organisatie niet gevonden',
  'Destruction report not found': 'Vernietigingsrapport niet gevonden',
  'Deletion receipt not found': 'Ontvangstbewijs niet gevonden',
  "the organisation would be destroyed on {{date}}, before its administrators had {{days}} days' notice: the agreement may end on {{earliest}} at the earliest":
    'de organisatie zou op {{date}} vernietigd worden, voordat haar beheerders {{days}} dagen van tevoren gewaarschuwd waren: de overeenkomst mag op zijn vroegst op {{earliest}} aflopen',
  'Export not found': 'Export niet gevonden',
  'Organisation not found': 'Organisatie niet gevonden',
  'Single sign-on for this organisation not found': 'Single sign-on voor deze organisatie niet gevonden',
  'Single sign-on not found': 'Single sign-on niet gevonden',
  'Trusted device not found': 'Vertrouwd apparaat niet gevonden',
  'Session not found': 'Sessie niet gevonden',

  // feedback and reviews
  'This exercise does not ask for a self-assessment': 'Deze oefening vraagt niet om een zelfbeoordeling',
  'This exercise does not take feedback from coaches': 'Deze oefening krijgt geen feedback van coaches',
  'is not a criterion you score on this answer': 'is geen criterium dat jij bij dit antwoord scoort',
  'must be one of the levels of “{{criterion}}”: {{levels}}':
    'moet een van de niveaus van “{{criterion}}” zijn: {{levels}}',
  'must be within the recording (0–{{seconds}} s)': 'moet binnen de opname vallen (0–{{seconds}} s)',
  'is not one of your organisation’s marker tags': 'is geen van de markeringslabels van je organisatie',
  'names no AI finding on this answer': 'noemt geen AI-bevinding bij dit antwoord',
  'must be accepted or dismissed': 'moet geaccepteerd of afgewezen zijn',
  'Only coaches decide on AI findings': 'Alleen coaches beslissen over AI-bevindingen',
  'only coaches decide on AI findings': 'alleen coaches beslissen over AI-bevindingen',
  'The review is not valid': 'De beoordeling is niet geldig',
  'This review is published and can no longer be changed':
    'Deze beoordeling is gepubliceerd en kan niet meer worden gewijzigd',
  'This review was saved elsewhere in the meantime; reload it to continue':
    'Deze beoordeling is intussen elders opgeslagen; laad haar opnieuw om verder te gaan',
  'Save a draft before publishing': 'Sla een concept op voordat je publiceert',
  'This review is already published': 'Deze beoordeling is al gepubliceerd',
  'Score every criterion before publishing': 'Scoor elk criterium voordat je publiceert',
  '“{{criterion}}” needs a score': '“{{criterion}}” heeft een score nodig',
  'Write a summary or a comment before publishing': 'Schrijf een samenvatting of een opmerking voordat je publiceert',
  'write a summary or a comment': 'schrijf een samenvatting of een opmerking',
  'This exercise is not open to peer feedback': 'Deze oefening staat niet open voor peerfeedback',
  'You are not in a group that takes this course now, so there is nobody to share with':
    'Je zit niet in een groep die deze cursus nu volgt, dus er is niemand om mee te delen',
  'Choose the group to share with': 'Kies de groep om mee te delen',
  'one of: {{values}}': 'een van: {{values}}',
  'id must be a UUID': 'id moet een UUID zijn',
  'u must be a UUID': 'u moet een UUID zijn',
  's must be the link’s signature (64 hexadecimal digits)':
    's moet de handtekening van de link zijn (64 hexadecimale cijfers)',
  'This link is not valid (any more)': 'Deze link is niet (meer) geldig',
  'must not be empty': 'mag niet leeg zijn',
  'is listed twice': 'staat er twee keer in',
  'is not a course language ({{languages}})': 'is geen cursustaal ({{languages}})',
  'must be a list of at most {{n}} fillers': 'moet een lijst van hoogstens {{n}} stopwoorden zijn',
  'must be 1–{{n}} characters': 'moet 1–{{n}} tekens lang zijn',
  'The settings are not valid': 'De instellingen zijn niet geldig',

  // recordings and uploads
  'The file is empty': 'Het bestand is leeg',
  'This is a tus 1.0.0 upload: send the Tus-Resumable: 1.0.0 header':
    'Dit is een tus 1.0.0-upload: stuur de header Tus-Resumable: 1.0.0 mee',
  'Upload-Metadata must name a purpose: answer or prompt':
    'Upload-Metadata moet een doel noemen: answer (antwoord) of prompt',
  'Only participants upload answers': 'Alleen deelnemers uploaden antwoorden',
  'Only content developers upload prompt media': 'Alleen contentontwikkelaars uploaden media voor opdrachten',
  'The upload was refused': 'De upload is geweigerd',
  // the tus server's own refusals (@tus/server, @tus/utils)
  'Upload-Offset conflict': 'Upload-Offset past niet bij wat er al ontvangen is',
  "upload's size exceeded": 'De upload is groter dan aangekondigd',
  'Maximum size exceeded': 'De upload is groter dan toegestaan',
  'Upload-Offset header required': 'De header Upload-Offset ontbreekt',
  'Send Upload-Offset with each part: where it starts (HEAD says how much has arrived)':
    'Stuur bij elk deel Upload-Offset mee: waar het begint (HEAD zegt hoeveel er al is aangekomen)',
  'The length of an upload is given once, in Upload-Length when it is started: send its parts without it':
    'De lengte van een upload wordt één keer gegeven, in Upload-Length bij de start: stuur de delen zonder',
  'Send each recording as one upload whose length is given in Upload-Length: concatenated uploads (Upload-Concat) and uploads of a length given later (Upload-Defer-Length) are not taken here':
    'Stuur elke opname als één upload waarvan de lengte in Upload-Length staat: samengevoegde uploads (Upload-Concat) en uploads waarvan de lengte later volgt (Upload-Defer-Length) worden hier niet aangenomen',
  'Upload-Length or Upload-Defer-Length header required': 'De header Upload-Length ontbreekt',
  'Invalid {{header}}': 'Ongeldige {{header}}',
  'Send the bytes of an upload as Content-Type: application/offset+octet-stream':
    'Stuur de bytes van een upload als Content-Type: application/offset+octet-stream',
  'This upload was made for {{purpose}} use': 'Deze upload is voor een ander gebruik gemaakt ({{purpose}})',
  'The upload is not complete ({{offset}} of {{size}} bytes): resume it first':
    'De upload is niet compleet ({{offset}} van {{size}} bytes): hervat hem eerst',
  'uploadId is not an upload id': 'uploadId is geen upload-id',
  'not an upload id': 'geen upload-id',
  'Processing failed after several attempts: {{reason}}': 'De verwerking is na meerdere pogingen mislukt: {{reason}}',
  'This is not an audio or video file we accept (WebM, MP4/MOV/M4A, WAV, MP3, Ogg)':
    'Dit is geen audio- of videobestand dat we accepteren (WebM, MP4/MOV/M4A, WAV, MP3, Ogg)',
  'The file is damaged or incomplete: {{detail}}': 'Het bestand is beschadigd of onvolledig: {{detail}}',
  'The file is damaged or incomplete: ffprobe could not describe it':
    'Het bestand is beschadigd of onvolledig: ffprobe kon het niet beschrijven',
  'The file is damaged or made to be slow: reading it took longer than {{seconds}} s':
    'Het bestand is beschadigd of gemaakt om traag te zijn: het lezen duurde langer dan {{seconds}} s',
  'The recording is longer than {{seconds}} s': 'De opname is langer dan {{seconds}} s',
  'This upload was already submitted for something else': 'Deze upload is al voor iets anders ingediend',
  'This submission was already made for another exercise': 'Dit antwoord is al voor een andere oefening ingediend',
  'The file has no audio': 'Het bestand heeft geen geluid',
  'The recording has no sound track': 'De opname heeft geen geluidsspoor',
  'The audio could not be decoded: {{detail}}': 'Het geluid kon niet worden gedecodeerd: {{detail}}',
  'The file could not be read: {{detail}}': 'Het bestand kon niet worden gelezen: {{detail}}',
  'The file has no sound track': 'Het bestand heeft geen geluidsspoor',
  'The sound is in a format Rehearse cannot read ({{codec}}): record the answer in the browser, or save the file with AAC, Opus, Vorbis, MP3, FLAC or WAV sound':
    'Het geluid staat in een formaat dat Rehearse niet kan lezen ({{codec}}): neem het antwoord op in de browser, of sla het bestand op met AAC-, Opus-, Vorbis-, MP3-, FLAC- of WAV-geluid',
  'The file has neither sound nor picture': 'Het bestand heeft geen geluid en geen beeld',
  'The length of the recording could not be measured: the file may be damaged':
    'De lengte van de opname kon niet worden gemeten: het bestand is mogelijk beschadigd',
  'The recording is {{seconds}} s long; at most {{max}} s are allowed here':
    'De opname duurt {{seconds}} s; hier zijn hoogstens {{max}} s toegestaan',

  // courses and rubrics
  '{{property}} must not contain scripts, frames, event handlers or javascript: links':
    '{{property}} mag geen scripts, frames, event handlers of javascript:-links bevatten',
  'dataUrl must be a base64 PNG, JPEG or WebP data URL':
    'dataUrl moet een base64-data-URL van een PNG, JPEG of WebP zijn',
  'The rubric is not valid': 'De rubric is niet geldig',
  'Someone else changed this rubric; reload it and apply your changes again':
    'Iemand anders heeft deze rubric gewijzigd; laad haar opnieuw en breng je wijzigingen opnieuw aan',
  'Someone else saved this course meanwhile; reload it and apply your changes again':
    'Iemand anders heeft deze cursus intussen opgeslagen; laad hem opnieuw en breng je wijzigingen opnieuw aan',
  'The file cannot be imported: {{n}} problem(s); nothing was created':
    'Het bestand kan niet worden geïmporteerd: {{n}} probleem/problemen; er is niets aangemaakt',
  'names prompt media that does not exist': 'noemt promptmedia die niet bestaat',
  'Archived courses cannot be edited; unarchive it first':
    'Gearchiveerde cursussen kunnen niet worden bewerkt; haal hem eerst uit het archief',
  'This course has no draft; start a new draft first': 'Deze cursus heeft geen concept; begin eerst een nieuw concept',
  'The course is not valid': 'De cursus is niet geldig',
  'Archived courses cannot be published': 'Gearchiveerde cursussen kunnen niet worden gepubliceerd',
  'There is no draft to publish': 'Er is geen concept om te publiceren',
  'a course needs at least one exercise before it can be published':
    'een cursus heeft minstens één oefening nodig voordat hij kan worden gepubliceerd',
  'The course cannot be published yet': 'De cursus kan nog niet worden gepubliceerd',
  'is used twice': 'wordt twee keer gebruikt',
  'is not the PNG, JPEG or WebP image it claims to be':
    'is niet de PNG-, JPEG- of WebP-afbeelding die het zegt te zijn',
  'The cover must be a PNG, JPEG or WebP image': 'De omslag moet een PNG-, JPEG- of WebP-afbeelding zijn',
  'is not a PNG, JPEG or WebP image': 'is geen PNG-, JPEG- of WebP-afbeelding',
  'The cover image must be at most 512 KB': 'De omslagafbeelding mag hoogstens 512 KB zijn',
  'is not a PNG, JPEG or WebP image that can be read': 'is geen leesbare PNG-, JPEG- of WebP-afbeelding',
  'is {{width}} × {{height}} pixels; a cover may be at most {{n}} pixels on each side':
    'is {{width}} × {{height}} pixels; een omslag mag aan elke kant hoogstens {{n}} pixels zijn',
  'duplicates the id of {{other}}': 'heeft hetzelfde id als {{other}}',
  'names a rubric that does not exist': 'noemt een rubric die niet bestaat',
  "names no criterion of the exercise's rubric": 'noemt geen criterium van de rubric van de oefening',
  'needs self feedback to be enabled': 'vereist dat zelfbeoordeling aanstaat',
  'must not be below wpmMin': 'mag niet lager zijn dan wpmMin',
  'AI feedback needs a video or audio answer': 'AI-feedback vereist een video- of audioantwoord',
  'scores must differ': 'scores moeten verschillen',

  // groups and enrolments
  'A group called "{{name}}" already exists': 'Er bestaat al een groep met de naam "{{name}}"',
  '{{name}} is not an active {{role}} of this organisation': '{{name}} is geen actieve {{role}} van deze organisatie',
  'Some people cannot join this group': 'Sommige mensen kunnen niet bij deze groep',
  'A person cannot be added and removed at once': 'Iemand kan niet tegelijk worden toegevoegd en verwijderd',
  '{{name}} is also to be removed': '{{name}} wordt ook verwijderd',
  'Enrol either a group or one person': 'Schrijf een groep of één persoon in',
  'give groupId or userId, not both': 'geef groupId of userId, niet allebei',
  'The due date is before the start': 'De inleverdatum ligt voor de start',
  'must not be before startsOn': 'mag niet voor startsOn liggen',
  'Already enrolled in this course': 'Al ingeschreven voor deze cursus',

  // answering
  'Your licence expired on {{date}}: ask your administrator to extend it before you answer again':
    'Je licentie is op {{date}} verlopen: vraag je beheerder hem te verlengen voordat je weer antwoordt',
  'This exercise takes a {{type}} answer': 'Deze oefening vraagt om een antwoord als {{type}}',
  'All {{n}} attempts of this exercise are used': 'Alle {{n}} pogingen van deze oefening zijn gebruikt',

  // retention, erasure, exports
  'Nothing of yours is due for deletion': 'Er staat niets van jou op de lijst om verwijderd te worden',
  'You already asked ({{status}})': 'Je hebt het al gevraagd ({{status}})',
  'You can ask from {{date}}, when the notice period begins':
    'Je kunt het vragen vanaf {{date}}, wanneer de opzegtermijn begint',
  'This request was already {{status}}': 'Over dit verzoek is al beslist ({{status}})',
  'The notice must come before the deletion': 'De melding moet voor de verwijdering komen',
  'must be less than deleteAfterDays': 'moet kleiner zijn dan deleteAfterDays',
  'Superusers are operator staff: remove them with the operator tools, not here':
    'Supergebruikers zijn medewerkers van de beheerder van de installatie: verwijder ze met de beheertools, niet hier',
  'You cannot erase yourself here: ask another administrator':
    'Je kunt jezelf hier niet wissen: vraag het een andere beheerder',
  'Type the user’s e-mail address to confirm': 'Typ het e-mailadres van de gebruiker ter bevestiging',
  "does not match the user's e-mail address": 'komt niet overeen met het e-mailadres van de gebruiker',
  'An export of this person is already being built': 'Er wordt al een export van deze persoon gemaakt',
  'An export of the organisation is already being built': 'Er wordt al een export van de organisatie gemaakt',
  'This export has expired: make a new one': 'Deze export is verlopen: maak een nieuwe',
  'This export is not ready yet': 'Deze export is nog niet klaar',
  'Withdrawn: a licence ended since it was made, hiding answers it holds. Make a new export: it leaves them out.':
    'Ingetrokken: sinds deze export gemaakt is, is een licentie afgelopen en zijn antwoorden erin verborgen. Maak een nieuwe export: die laat ze weg.',

  // impersonation
  'Impersonation cannot be nested': 'Meekijken kan niet binnen meekijken',
  'Only active users can be impersonated': 'Alleen actieve gebruikers kunnen worden meegekeken',
  'You are not impersonating anyone': 'Je kijkt bij niemand mee',

  // accounts, sign-in, invitations, users
  'E-mail address and password are required': 'E-mailadres en wachtwoord zijn verplicht',
  'Passwords, e-mail addresses and second factors cannot be changed while impersonating':
    'Wachtwoorden, e-mailadressen en tweede factoren kunnen tijdens het meekijken niet worden gewijzigd',
  'Your current password is not correct': 'Je huidige wachtwoord klopt niet',
  'is not correct': 'klopt niet',
  'Choose a stronger password': 'Kies een sterker wachtwoord',
  'This e-mail address is already in use': 'Dit e-mailadres is al in gebruik',
  'Superusers must keep an authenticator app': 'Supergebruikers moeten een authenticator-app houden',
  'The file is not valid CSV: {{reason}}': 'Het bestand is geen geldige CSV: {{reason}}',
  'The header row has no "{{column}}" column (expected: {{columns}})':
    'De kopregel heeft geen kolom "{{column}}" (verwacht: naam, e-mail, rol en eventueel telefoon, of in het Engels {{columns}})',
  'The file has a header but no users': 'Het bestand heeft een kopregel maar geen gebruikers',
  'At most {{n}} users per file': 'Hoogstens {{n}} gebruikers per bestand',
  'is empty': 'is leeg',
  'is longer than 200 characters': 'is langer dan 200 tekens',
  '"{{value}}" is not a valid e-mail address': '"{{value}}" is geen geldig e-mailadres',
  'appears twice in the file (also row {{row}})': 'staat twee keer in het bestand (ook in rij {{row}})',
  '"{{value}}" is not a role (participant, coach, content_developer, administrator)':
    '"{{value}}" is geen rol (deelnemer, coach, contentontwikkelaar, beheerder)',
  'is not a phone number': 'is geen telefoonnummer',
  'has characters that could not be read: save the file as "CSV UTF-8" and import it again':
    'bevat tekens die niet te lezen zijn: sla het bestand op als "CSV UTF-8" en importeer het opnieuw',
  'The issuer must be an https address': 'De issuer moet een https-adres zijn',
  'must start with https://': 'moet met https:// beginnen',
  'This installation does not allow single sign-on with this identity provider: ask its operator':
    'Deze installatie staat eenmalige aanmelding met deze identiteitsprovider niet toe: vraag het de beheerder van de installatie',
  'must be on {{hosts}}': 'moet op {{hosts}} staan',
  "A person's other sessions cannot be ended while impersonating them":
    'De andere sessies van iemand kunnen niet worden beëindigd terwijl je met diegene meekijkt',
  'If this address belongs to an account, a link to choose a new password is on its way to it. It works once, for a short time; check your spam folder too.':
    'Als dit adres bij een account hoort, is er een link onderweg om een nieuw wachtwoord te kiezen. Hij werkt één keer, korte tijd; kijk ook in je map met ongewenste e-mail.',
  'This link to confirm an e-mail address is not valid any more (used, replaced, cancelled or expired). Change the address again from your account page.':
    'Deze link om een e-mailadres te bevestigen werkt niet meer (gebruikt, vervangen, geannuleerd of verlopen). Wijzig het adres opnieuw op je accountpagina.',
  'This is already your e-mail address': 'Dit is al je e-mailadres',
  'is already your e-mail address': 'is al je e-mailadres',
  'There is no change of e-mail address to cancel': 'Er is geen wijziging van je e-mailadres om te annuleren',
  'This link to choose a new password is not valid any more (used, replaced or expired). Ask for a new one.':
    'Deze link om een nieuw wachtwoord te kiezen werkt niet meer (gebruikt, vervangen of verlopen). Vraag een nieuwe aan.',
  'A client secret is needed to turn SSO on': 'Er is een clientgeheim nodig om SSO aan te zetten',
  'is required': 'is verplicht',
  'The identity provider cannot be reached; try again later or sign in with your password':
    'De identiteitsprovider is niet bereikbaar; probeer het later opnieuw of log in met je wachtwoord',
  'code must be 6 digits': 'code moet 6 cijfers zijn',
  'startsOn must be a date YYYY-MM-DD': 'startsOn moet een datum JJJJ-MM-DD zijn',
  'expiresOn must be a date YYYY-MM-DD': 'expiresOn moet een datum JJJJ-MM-DD zijn',
  'email must be a valid e-mail address': 'email moet een geldig e-mailadres zijn',
  'phone must be a phone number': 'phone moet een telefoonnummer zijn',
  'token is not valid': 'token is niet geldig',
  'slug is not valid': 'slug is niet geldig',
  'The invitation e-mail could not be queued just now (a service it needs is not answering). The person is saved, and the invitation goes out by itself once that service answers again.':
    'De uitnodiging kon nu niet in de wachtrij worden gezet (een dienst die ervoor nodig is, antwoordt niet). De persoon is opgeslagen, en de uitnodiging gaat vanzelf weg zodra die dienst weer antwoordt.',
  'The invitation e-mails could not be queued just now (a service they need is not answering). The people are saved, and their invitations go out by themselves once that service answers again.':
    'De uitnodigingen konden nu niet in de wachtrij worden gezet (een dienst die ervoor nodig is, antwoordt niet). De mensen zijn opgeslagen, en hun uitnodigingen gaan vanzelf weg zodra die dienst weer antwoordt.',
  'This request was decided by someone else in the meantime':
    'Over dit verzoek heeft iemand anders intussen al beslist',
  'The organisation needs at least one active administrator':
    'De organisatie heeft minstens één actieve beheerder nodig',
  'A user with this e-mail address already exists in your organisation':
    'Er bestaat in je organisatie al een gebruiker met dit e-mailadres',
  'This user has already accepted the invitation': 'Deze gebruiker heeft de uitnodiging al geaccepteerd',
  'You cannot remove your own administrator role': 'Je kunt je eigen beheerdersrol niet weghalen',
  'You cannot deactivate yourself': 'Je kunt jezelf niet deactiveren',
  '{{email}} already has an account in your organisation': '{{email}} heeft al een account in je organisatie',
  'An e-mail address in the file was registered meanwhile; nothing was imported':
    'Een e-mailadres uit het bestand is intussen geregistreerd; er is niets geïmporteerd',
  'At least one role is required': 'Er is minstens één rol nodig',
  'The licence cannot expire before it starts': 'De licentie kan niet verlopen voordat hij begint',
  'slug must be lower-case letters, digits and dashes': 'slug moet uit kleine letters, cijfers en streepjes bestaan',
  'A tenant with slug "{{slug}}" already exists': 'Er bestaat al een organisatie met slug "{{slug}}"',
  'Password {{problem}}': 'Wachtwoord: {{problem}}',
  'A user with e-mail {{email}} already exists': 'Er bestaat al een gebruiker met e-mailadres {{email}}',
  'The e-mail address or password is not correct': 'Het e-mailadres of wachtwoord klopt niet',
  'Superusers must sign in with an authenticator app; ask another superuser to reset it':
    'Supergebruikers moeten inloggen met een authenticator-app; vraag een andere supergebruiker hem opnieuw in te stellen',
  'This code has expired or was already used; request a new one':
    'Deze code is verlopen of al gebruikt; vraag een nieuwe aan',
  'Too many wrong codes; request a new code': 'Te veel verkeerde codes; vraag een nieuwe code aan',
  'The code is not correct': 'De code klopt niet',
  'Superusers sign in with an authenticator app only': 'Supergebruikers loggen alleen in met een authenticator-app',
  'Your sign-in has expired; enter your password again': 'Je inlogpoging is verlopen; vul je wachtwoord opnieuw in',
  'This invitation link is not valid any more. Ask your administrator for a new one.':
    'Deze uitnodigingslink is niet meer geldig. Vraag je beheerder om een nieuwe.',
  'The code from your authenticator app is not valid': 'De code uit je authenticator-app is niet geldig',
  'is not valid': 'is niet geldig',

  // password rules
  'must be at least {{n}} characters': 'moet minstens {{n}} tekens lang zijn',
  'must be at most {{n}} characters': 'mag hoogstens {{n}} tekens lang zijn',
  'is one of the most commonly used passwords; choose another':
    'is een van de meest gebruikte wachtwoorden; kies een ander',
  'must not contain your e-mail address or name': 'mag je e-mailadres of naam niet bevatten',
  'must contain a lower-case letter': 'moet een kleine letter bevatten',
  'must contain an upper-case letter': 'moet een hoofdletter bevatten',
  'must contain a digit': 'moet een cijfer bevatten',
  'must contain a symbol': 'moet een symbool bevatten',
};
