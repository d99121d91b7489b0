/** The texts of privacy's e-mails (deletion notice, recordings deleted, export ready, keep request, the agreement's end, a privacy log changed); {{name}} placeholders are filled by their composers. */
const en = {
  'retention.subject': 'Your Rehearse recordings will be deleted on {{date}}',
  'retention.body':
    'Your licence expired on {{expired}}, so your practice recordings are hidden. They will be deleted on {{date}}: the videos, their sound, transcripts and captions.',
  'retention.linkIntro': 'If you want to keep them, say so here before then:',
  'retention.link': 'Keep my recordings',
  'deleted.subject': 'Your Rehearse recordings were deleted',
  'deleted.body':
    'Your licence expired on {{expired}}, and as announced your practice recordings were deleted on {{date}}: the videos, their sound, transcripts and captions.',
  'deleted.deletedOn':
    'As announced, your practice recordings were deleted on {{date}}: the videos, their sound, transcripts and captions.',
  'deleted.unverified':
    'The storage has not yet confirmed every file gone: Rehearse keeps deleting them, and the receipt says so until it has.',
  'deleted.linkIntro':
    'Your organisation keeps a receipt of the deletion. Download it from your data page, signed so that you or anyone you give it to can check it:',
  'deleted.link': 'My data',
  'deleted.checkIntro': 'Whoever you give it to can check it here, without an account:',
  'export.subject': 'Your Rehearse data export is ready',
  'export.everything': 'everything of your organisation',
  'export.yours': 'your data',
  'export.theirs': 'the data of {{name}}',
  'export.body': 'The export of {{what}} is ready. Sign in to download it within 7 days.',
  'export.link': 'Download',
  'keep.subject': '{{name}} asks to keep their recordings',
  'keep.body': "{{name}}'s licence has expired and their recordings are due for deletion. They ask to keep them.",
  'keep.linkIntro': 'Decide here:',
  'keep.link': 'Decide',
  'agreement.subject': 'The agreement of {{organisation}} ends on {{date}}',
  'agreement.body':
    'The agreement of {{organisation}} with the operator of Rehearse ends on {{date}}. On {{destroyOn}} everything of the organisation is destroyed for good: its people, courses, answers, recordings, feedback and privacy log.',
  'agreement.linkIntro': "Export the organisation's data before then to keep any of it:",
  'agreement.link': "Export the organisation's data",
  'agreement.clearedSubject': 'The agreement of {{organisation}} no longer ends',
  'agreement.cleared':
    'The end date of the agreement of {{organisation}} with the operator of Rehearse has been removed: nothing of the organisation will be destroyed.',
  'destruction.subject': 'Everything of {{organisation}} is destroyed on {{date}}',
  'destruction.ended': 'The agreement of {{organisation}} with the operator of Rehearse ended on {{endsOn}}.',
  'destruction.ends': 'The agreement of {{organisation}} with the operator of Rehearse ends on {{endsOn}}.',
  'destruction.inDays':
    'In {{days}} days, on {{date}}, everything of the organisation is destroyed for good: its people, courses, answers, recordings, feedback and privacy log.',
  'destruction.tomorrow':
    'Tomorrow, {{date}}, everything of the organisation is destroyed for good: its people, courses, answers, recordings, feedback and privacy log.',
  'logBroken.subject': 'The privacy log of {{organisation}} was changed outside Rehearse',
  'logBroken.changed':
    'Rehearse checks the privacy log of {{organisation}} every night. The check of {{date}} found entry {{entry}} changed outside Rehearse, or an entry before it removed.',
  'logBroken.removed':
    'Rehearse checks the privacy log of {{organisation}} every night. The check of {{date}} found entries up to entry {{entry}} removed after Rehearse had seen them.',
  'logBroken.cannot':
    'Nobody may change or delete this log, and Rehearse itself cannot: someone did it at the database. Ask the operator of Rehearse what happened; they can compare the log with their backups.',
  'logBroken.linkIntro': 'The check is on the privacy log page:',
  'logBroken.link': 'Privacy log',
} as const satisfies Record<string, string>;

/** In Dutch: every English key, no other (the compiler checks). */
const nl: Record<keyof typeof en, string> = {
  'retention.subject': 'Je Rehearse-opnames worden op {{date}} verwijderd',
  'retention.body':
    'Je licentie is op {{expired}} verlopen, daarom zijn je oefenopnames verborgen. Ze worden op {{date}} verwijderd: de video’s, het geluid, de transcripten en de ondertitels.',
  'retention.linkIntro': 'Wil je ze bewaren? Laat het hier voor die datum weten:',
  'retention.link': 'Mijn opnames bewaren',
  'deleted.subject': 'Je Rehearse-opnames zijn verwijderd',
  'deleted.body':
    'Je licentie is op {{expired}} verlopen en zoals aangekondigd zijn je oefenopnames op {{date}} verwijderd: de video’s, het geluid, de transcripten en de ondertitels.',
  'deleted.deletedOn':
    'Zoals aangekondigd zijn je oefenopnames op {{date}} verwijderd: de video’s, het geluid, de transcripten en de ondertitels.',
  'deleted.unverified':
    'De opslag heeft nog niet bevestigd dat elk bestand weg is: Rehearse blijft ze verwijderen, en het ontvangstbewijs zegt dat tot het zover is.',
  'deleted.linkIntro':
    'Je organisatie bewaart een ontvangstbewijs van de verwijdering. Download het op je gegevenspagina, ondertekend zodat jij of iedereen aan wie je het geeft het kan controleren:',
  'deleted.link': 'Mijn gegevens',
  'deleted.checkIntro': 'Wie je het geeft, kan het hier controleren, zonder account:',
  'export.subject': 'Je Rehearse-gegevensexport staat klaar',
  'export.everything': 'alles van je organisatie',
  'export.yours': 'je gegevens',
  'export.theirs': 'de gegevens van {{name}}',
  'export.body': 'De export van {{what}} staat klaar. Log in om hem binnen 7 dagen te downloaden.',
  'export.link': 'Downloaden',
  'keep.subject': '{{name}} vraagt de opnames te bewaren',
  'keep.body':
    'De licentie van {{name}} is verlopen en de opnames staan op de lijst om verwijderd te worden. {{name}} vraagt ze te bewaren.',
  'keep.linkIntro': 'Beslis hier:',
  'keep.link': 'Beslissen',
  'agreement.subject': 'De overeenkomst van {{organisation}} loopt af op {{date}}',
  'agreement.body':
    'De overeenkomst van {{organisation}} met de aanbieder van Rehearse loopt af op {{date}}. Op {{destroyOn}} wordt alles van de organisatie voorgoed vernietigd: haar mensen, cursussen, antwoorden, opnames, feedback en privacylogboek.',
  'agreement.linkIntro': 'Exporteer de gegevens van de organisatie voor die datum als je er iets van wilt bewaren:',
  'agreement.link': 'De gegevens van de organisatie exporteren',
  'agreement.clearedSubject': 'De overeenkomst van {{organisation}} loopt niet meer af',
  'agreement.cleared':
    'De einddatum van de overeenkomst van {{organisation}} met de aanbieder van Rehearse is verwijderd: er wordt niets van de organisatie vernietigd.',
  'destruction.subject': 'Alles van {{organisation}} wordt op {{date}} vernietigd',
  'destruction.ended': 'De overeenkomst van {{organisation}} met de aanbieder van Rehearse is afgelopen op {{endsOn}}.',
  'destruction.ends': 'De overeenkomst van {{organisation}} met de aanbieder van Rehearse loopt af op {{endsOn}}.',
  'destruction.inDays':
    'Over {{days}} dagen, op {{date}}, wordt alles van de organisatie voorgoed vernietigd: haar mensen, cursussen, antwoorden, opnames, feedback en privacylogboek.',
  'destruction.tomorrow':
    'Morgen, {{date}}, wordt alles van de organisatie voorgoed vernietigd: haar mensen, cursussen, antwoorden, opnames, feedback en privacylogboek.',
  'logBroken.subject': 'Het privacylogboek van {{organisation}} is buiten Rehearse gewijzigd',
  'logBroken.changed':
    'Rehearse controleert het privacylogboek van {{organisation}} elke nacht. De controle van {{date}} vond regel {{entry}} buiten Rehearse gewijzigd, of een regel ervoor verwijderd.',
  'logBroken.removed':
    'Rehearse controleert het privacylogboek van {{organisation}} elke nacht. De controle van {{date}} vond de regels tot en met regel {{entry}} verwijderd nadat Rehearse ze had gezien.',
  'logBroken.cannot':
    'Niemand mag dit logboek wijzigen of er iets uit verwijderen, en Rehearse zelf kan het niet: iemand heeft het in de database gedaan. Vraag de aanbieder van Rehearse wat er is gebeurd; die kan het logboek vergelijken met de back-ups.',
  'logBroken.linkIntro': 'De controle staat op de pagina van het privacylogboek:',
  'logBroken.link': 'Privacylogboek',
};

export const PRIVACY_MAIL_TEXT = { en, nl };
